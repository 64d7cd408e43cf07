package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.lang.reflect.Constructor;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jodb.UnsupportedClassException;

/**
 * Keeps records that could not be read back from being committed: a class whose default serializer would
 * write what it cannot rebuild gets a serializer that refuses to write it, naming the remedy.
 *
 * <p>Refused: a collection or map handled by Kryo's generic collection/map serializer that has no
 * no-argument constructor Kryo can call. Kryo would make it without a constructor and then add the
 * entries to an object whose internals are missing. These are mostly the JDK's views ({@code subList},
 * {@code keySet()}, {@code values()}, {@code entrySet()}, {@code TreeMap.subMap}/{@code headMap},
 * {@code Collections.nCopies}, {@code Collections.checked*}, {@code ConcurrentHashMap.keySet}). Also refused: a
 * JDK class that jodb would write field by field but whose every instance field is transient (its state
 * lives in fields that Java serialization writes by hand, such as {@code InetAddress}'s); it would load
 * empty. A subclass of {@code TreeMap} or {@code TreeSet} without a public {@code (Comparator)}
 * constructor, through which Kryo rebuilds it. And a class of the application whose state field-by-field records would miss
 * ({@link UnstoredState}: an inner class's enclosing instance, a captured variable, transient fields written by
 * {@code writeObject}).
 *
 * <p>Collections with a usable constructor ({@code ArrayList}, {@code HashMap}, {@code Vector}, ...) and the
 * classes with serializers of their own (immutable {@code List.of}, {@code Arrays.asList}, {@code EnumSet},
 * {@code EnumMap}, {@code TreeMap}, the {@code Collections} wrappers, ...) are unaffected. Reading is
 * never refused: the refusing serializer reads as the original would.
 */
final class UnreadableTypes {
    private UnreadableTypes() {
    }

    /** {@code serializer}, or one that refuses to write {@code type} when its records would not load. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Serializer check(Class<?> type, Serializer serializer) {
        Class<?> sc = serializer.getClass();
        if ((sc == CollectionSerializer.class || sc == MapSerializer.class) && !constructible(type)) {
            String remedy = isJdk(type) ? "it is a view or wrapper that jodb cannot rebuild; store a copy: "
                    + "new " + copyOf(type) + "<>(view)"
                    : "Kryo cannot rebuild it without a no-argument constructor; give "
                    + type.getSimpleName() + " one (it may be private)";
            return new Refusing(serializer, "jodb cannot store a " + type.getName() + ": " + remedy);
        }
        if ((sc == DefaultSerializers.TreeMapSerializer.class || sc == DefaultSerializers.TreeSetSerializer.class)
                && type != TreeMap.class && type != TreeSet.class && !takesComparator(type)) {
            // Kryo rebuilds a subclass through its public (Comparator) constructor: without one, the record
            // would be committed and then fail to load (an anonymous "double brace" TreeMap, say)
            return new Refusing(serializer, "jodb cannot store a " + type.getName() + ": a subclass of "
                    + (SortedMap.class.isAssignableFrom(type) ? "TreeMap" : "TreeSet") + " is rebuilt through a"
                    + " public constructor taking a Comparator, which it lacks; give it one, or store a copy: new "
                    + copyOf(type) + "<>(" + (SortedMap.class.isAssignableFrom(type) ? "map" : "set") + ")");
        }
        if (serializer instanceof FieldsSerializer && !isJdk(type)) {
            String problem = UnstoredState.problem(type);
            if (problem != null) {
                return new Refusing(serializer, "jodb cannot store an instance of " + type.getName() + ": "
                        + problem);
            }
        }
        if (serializer instanceof FieldsSerializer fs && isJdk(type) && fs.storesNoState()) {
            return new Refusing(serializer, "jodb cannot store a " + type.getName() + ": its state is only in"
                    + " transient fields, so it would load empty; store a value that describes it (a String,"
                    + " a byte[], a record of your own)");
        }
        return serializer;
    }

    private static boolean takesComparator(Class<?> type) {
        try {
            type.getConstructor(Comparator.class);
            return true;
        } catch (NoSuchMethodException | SecurityException e) {
            return false;
        }
    }

    /** Whether Kryo's instantiator would run a no-argument constructor (rather than skip constructors). */
    private static boolean constructible(Class<?> type) {
        try {
            Constructor<?> c = type.getDeclaredConstructor();
            return c.trySetAccessible();
        } catch (NoSuchMethodException | SecurityException e) {
            return false;
        }
    }

    static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    private static String copyOf(Class<?> type) {
        if (SortedMap.class.isAssignableFrom(type)) {
            return "TreeMap";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "LinkedHashMap";
        }
        if (SortedSet.class.isAssignableFrom(type)) {
            return "TreeSet";
        }
        if (Set.class.isAssignableFrom(type)) {
            return "LinkedHashSet";
        }
        return "ArrayList";
    }

    /** Refuses to write; reads as the serializer it replaces (records written before the check). */
    private static final class Refusing extends Serializer<Object> {
        private final Serializer<Object> original;
        private final String message;

        @SuppressWarnings("unchecked")
        Refusing(Serializer<?> original, String message) {
            this.original = (Serializer<Object>) original;
            this.message = message;
        }

        @Override
        public void write(Kryo kryo, Output output, Object object) {
            throw new UnsupportedClassException(message);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<? extends Object> type) {
            return original.read(kryo, input, type);
        }
    }
}
