package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.io.File;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.jodb.UnsupportedClassException;

/**
 * Serializers for common JDK value classes that Kryo does not register by default and whose fields
 * {@code java.base} keeps closed to reflection: {@code UUID}, {@code URI}, {@code Pattern} (its source and
 * flags), {@code File} and {@code Path} (their path string; a {@code Path} only of the default file
 * system), {@code AtomicBoolean}/{@code Integer}/{@code Long}/{@code Reference} (their current value), and
 * {@code EnumMap} ({@link EnumMapByName}), and the map-backed sets of {@link SetSerializers}; a
 * {@code LinkedHashMap} is read into a map sized for its entries ({@link SizedLinkedHashMaps}). BigDecimal,
 * BigInteger, java.time, Optional, URL, Locale, Currency, Charset, TimeZone, BitSet and the immutable
 * {@code List.of}/{@code Set.of}/{@code Map.of} have serializers in Kryo already; an immutable list that
 * holds null ({@code Stream.toList()}), which Kryo's would fail on with "object cannot be null", is refused
 * with a remedy instead.
 *
 * <p>Platform-specific classes ({@code sun.nio.fs.UnixPath}) are stored under their public type
 * ({@link PortableClasses}), so a store moves between operating systems.
 */
final class ValueSerializers {
    private ValueSerializers() {
    }

    static void register(Kryo kryo) {
        kryo.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
        kryo.addDefaultSerializer(URI.class, new DefaultSerializers.URISerializer());
        kryo.addDefaultSerializer(Pattern.class, new DefaultSerializers.PatternSerializer());
        kryo.addDefaultSerializer(AtomicBoolean.class, new DefaultSerializers.AtomicBooleanSerializer());
        kryo.addDefaultSerializer(AtomicInteger.class, new DefaultSerializers.AtomicIntegerSerializer());
        kryo.addDefaultSerializer(AtomicLong.class, new DefaultSerializers.AtomicLongSerializer());
        kryo.addDefaultSerializer(AtomicReference.class, new DefaultSerializers.AtomicReferenceSerializer());
        kryo.addDefaultSerializer(File.class, new FileByPath());
        kryo.addDefaultSerializer(Path.class, new PathByString());
        kryo.addDefaultSerializer(EnumMap.class, new EnumMapByName());
        SetSerializers.register(kryo);
        TimestampWithNanos.registerIfPresent(kryo);
        kryo.addDefaultSerializer(LinkedHashMap.class, new SizedLinkedHashMaps());
        Class<?> listN = List.of(1, 2, 3).getClass();
        kryo.addDefaultSerializer(listN, new NoNullElements(kryo.getDefaultSerializer(listN)));
    }

    /**
     * Kryo's serializer of the JDK's immutable lists rebuilds them with {@code List.of}, which refuses null,
     * so it cannot write the lists of {@code Stream.toList()} that hold null: refuse those with a remedy,
     * and leave every other list (and the format of its records) to Kryo.
     */
    private static final class NoNullElements extends Serializer<List<?>> {
        private final Serializer<List<?>> kryos;

        @SuppressWarnings("unchecked")
        NoNullElements(Serializer<?> kryos) {
            this.kryos = (Serializer<List<?>>) kryos;
        }

        @Override
        public void write(Kryo kryo, Output output, List<?> list) {
            if (holdsNull(list)) {
                throw new UnsupportedClassException("jodb cannot store an immutable " + list.getClass().getName()
                        + " that holds null (from Stream.toList()); store new ArrayList<>(list), or"
                        + " Collections.unmodifiableList(new ArrayList<>(list)) to keep it unmodifiable");
            }
            kryos.write(kryo, output, list);
        }

        @Override
        public List<?> read(Kryo kryo, Input input, Class<? extends List<?>> type) {
            return kryos.read(kryo, input, type);
        }

        private static boolean holdsNull(List<?> list) {
            try {
                return list.contains(null);
            } catch (NullPointerException nullHostile) {
                return false; // List.of: cannot hold null, says so by throwing
            }
        }
    }

    /**
     * Kryo's map serializer, which sizes a {@code HashMap} for the entries it reads but makes every other
     * map empty, so a large {@code LinkedHashMap} (a {@code PersistentMap}'s content) was rehashed again
     * and again while loading. Same records; only {@code LinkedHashMap} itself is presized, a subclass is
     * made as before.
     */
    private static final class SizedLinkedHashMaps extends MapSerializer<Map<Object, Object>> {
        @Override
        protected Map<Object, Object> create(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type,
                int size) {
            if (kryo instanceof JodbKryo k) {
                k.mapMade(); // a chunk's map: its values may stay references
            }
            if ((Class<?>) type == LinkedHashMap.class) {
                return new LinkedHashMap<>(size < 3 ? size + 1 : (int) (size / 0.75f + 1));
            }
            return super.create(kryo, input, type, size);
        }
    }

    private static final class FileByPath extends ImmutableSerializer<File> {
        @Override
        public void write(Kryo kryo, Output output, File file) {
            output.writeString(file.getPath());
        }

        @Override
        public File read(Kryo kryo, Input input, Class<? extends File> type) {
            return new File(input.readString());
        }
    }

    private static final class PathByString extends ImmutableSerializer<Path> {
        @Override
        public void write(Kryo kryo, Output output, Path path) {
            if (path.getFileSystem() != FileSystems.getDefault()) {
                throw new UnsupportedClassException("jodb stores only paths of the default file system, not of "
                        + path.getFileSystem() + "; store path.toUri() or path.toString()");
            }
            output.writeString(path.toString());
        }

        @Override
        public Path read(Kryo kryo, Input input, Class<? extends Path> type) {
            return Path.of(input.readString());
        }
    }
}
