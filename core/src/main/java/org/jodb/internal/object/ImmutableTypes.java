package org.jodb.internal.object;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Which classes have instances that cannot change: strings, boxed primitives, {@code BigInteger},
 * {@code BigDecimal}, {@code UUID}, {@code Class}, enums, {@code java.time}'s values, and records whose
 * components are all declared of such types. Asked where a value handed out needs no tracking
 * ({@code InPlaceChanges}) and where a decoded value may be shared by connections ({@link SharedKeys}).
 * Thread-safe; each class is looked at once.
 */
public final class ImmutableTypes {
    private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Boolean.class, Character.class,
            Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class,
            BigDecimal.class, UUID.class, Class.class);

    /** Per class: true when its instances cannot change. */
    private static final ClassValue<Boolean> IMMUTABLE_CLASS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return immutable(type, new HashSet<>());
        }
    };

    private ImmutableTypes() {
    }

    /** Whether no instance of {@code type} can change (by exact class: a subclass may add state). */
    public static boolean immutable(Class<?> type) {
        return IMMUTABLE_CLASS.get(type);
    }

    private static boolean immutable(Class<?> type, Set<Class<?>> visiting) {
        if (type.isPrimitive() || IMMUTABLE.contains(type) || type.isEnum()
                || (type.getSuperclass() != null && type.getSuperclass().isEnum())) {
            return true;
        }
        String name = type.getName();
        if (name.startsWith("java.time.") && !name.startsWith("java.time.format.")) {
            return true; // java.time's values are immutable
        }
        if (type.isRecord() && visiting.add(type)) {
            // final components: immutable when each one's declared type is (a record of strings and numbers)
            for (RecordComponent c : type.getRecordComponents()) {
                if (!visiting.contains(c.getType()) && !immutable(c.getType(), visiting)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
