package org.jodb;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.jodb.internal.object.PersistentObject;

/**
 * Whether a value handed out by a container's reading method ({@code PersistentMap.get},
 * {@code PersistentList.get}) could be changed in place by the caller ({@code map.get(k).add(x)}), so that
 * the container must be touched for the change to be found at the next savepoint or commit (DESIGN: a
 * change to a plain collection inside a persistent object is found). Immutable values and persistent
 * objects (which track themselves) need no touch, so reading them stays free. Thread-safe.
 */
final class InPlaceChanges {
    private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Boolean.class, Character.class,
            Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class,
            BigDecimal.class, UUID.class, Class.class);

    /** Per class: true when its instances cannot change (see {@link #immutable(Class)}). */
    private static final ClassValue<Boolean> IMMUTABLE_CLASS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return immutable(type);
        }
    };

    private InPlaceChanges() {
    }

    /** True unless {@code value} is null, a persistent object, or of a type whose instances cannot change. */
    static boolean possible(Object value) {
        return value != null && !(value instanceof PersistentObject) && !IMMUTABLE_CLASS.get(value.getClass());
    }

    private static boolean immutable(Class<?> type) {
        return immutable(type, new HashSet<>());
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
