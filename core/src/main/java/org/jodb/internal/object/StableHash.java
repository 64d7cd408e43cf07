package org.jodb.internal.object;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A hash of a map key that is the same in every JVM, so that it can be stored (a large
 * {@code PersistentMap} keeps a persistent tree from it to the chunks holding the keys, see
 * {@link MapLayout}). Equal keys must get equal hashes, in this JVM and any later one; a key for which
 * that is not known gets {@link #NONE}.
 *
 * <p>Known: null; {@code String}, the boxed primitives, {@code UUID}, {@code BigInteger}, {@code BigDecimal}
 * and the {@code java.time} values, whose {@code hashCode} is a function of their value alone; an enum
 * constant, from its class and constant names (its {@code hashCode} is its identity's); a record with
 * the implicit {@code equals} and {@code hashCode}, from its class name and its components' hashes (the
 * JDK leaves the record's own combination unspecified); a list of the JDK's ({@code java.util}
 * classes follow the {@code List} contract of equality by elements), from its elements' hashes. Not known:
 * everything else, even with a value {@code hashCode} of its own (it may change with its class, or be
 * the identity's).
 *
 * <p>Stateless and thread-safe.
 */
final class StableHash {
    /** What {@link #of} returns for a key whose hash is not known to be stable: outside the int range. */
    static final long NONE = Long.MIN_VALUE;

    private static final Set<Class<?>> VALUE_HASHED = Set.of(String.class, Integer.class, Long.class,
            Short.class, Byte.class, Double.class, Float.class, Boolean.class, Character.class, UUID.class,
            BigInteger.class, BigDecimal.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
            Instant.class, Duration.class, Period.class, OffsetDateTime.class, OffsetTime.class,
            ZonedDateTime.class, Year.class, YearMonth.class, MonthDay.class);

    /** Per record class: its component fields, or null when its hash is not known to be stable. */
    private static final ClassValue<Field[]> RECORD_FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            return recordFields(type);
        }
    };

    private StableHash() {
    }

    /** The stable hash of {@code key} (an int), or {@link #NONE}. */
    static long of(Object key) {
        if (key == null) {
            return 0;
        }
        Class<?> type = key.getClass();
        if (type == String.class) {
            return key.hashCode(); // the commonest key, spared the set's probe below
        }
        if (VALUE_HASHED.contains(type) || key instanceof ZoneId) {
            return key.hashCode();
        }
        if (key instanceof Enum<?> e) {
            return 31 * e.getDeclaringClass().getName().hashCode() + e.name().hashCode();
        }
        if (key instanceof List<?> list && type.getName().startsWith("java.util.")) {
            return ofList(list);
        }
        if (type.isRecord()) {
            return ofRecord(key, RECORD_FIELDS.get(type));
        }
        return NONE;
    }

    /** Whether {@code key} has a stable hash. */
    static boolean known(Object key) {
        return of(key) != NONE;
    }

    /** The {@code List.hashCode} combination of the elements' stable hashes. */
    private static long ofList(List<?> list) {
        int h = 1;
        for (Object element : list) {
            long e = of(element);
            if (e == NONE) {
                return NONE;
            }
            h = 31 * h + (int) e;
        }
        return h;
    }

    private static long ofRecord(Object record, Field[] fields) {
        if (fields == null) {
            return NONE;
        }
        int h = record.getClass().getName().hashCode();
        for (Field field : fields) {
            long c;
            try {
                c = of(field.get(record));
            } catch (ReflectiveOperationException | RuntimeException unreadable) {
                return NONE;
            }
            if (c == NONE) {
                return NONE;
            }
            h = 31 * h + (int) c;
        }
        return h;
    }

    /**
     * A record's component fields when its equality is the implicit one (by components), else null. javac
     * declares the implicit {@code equals} and {@code hashCode} final; ones the record declares itself are
     * taken for implicit when they are final too (documented: do not declare them final).
     */
    private static Field[] recordFields(Class<?> type) {
        try {
            if (!Modifier.isFinal(type.getDeclaredMethod("hashCode").getModifiers())
                    || !Modifier.isFinal(type.getDeclaredMethod("equals", Object.class).getModifiers())) {
                return null;
            }
        } catch (NoSuchMethodException compiledWithoutThem) {
            return null; // not what javac makes of a record: unknown
        }
        RecordComponent[] components = type.getRecordComponents();
        Field[] fields = new Field[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                // the fields, not the accessors: the implicit equals compares the fields
                fields[i] = type.getDeclaredField(components[i].getName());
                fields[i].setAccessible(true);
            }
        } catch (NoSuchFieldException | RuntimeException inaccessible) {
            return null;
        }
        return fields;
    }
}
