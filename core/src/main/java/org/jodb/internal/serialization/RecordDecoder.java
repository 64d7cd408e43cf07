package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Reads an object record without the application's classes: for tools that look inside a store (the
 * {@code jodb dump} command). Where {@link ObjectRecordCodec} fills instances of the application's classes,
 * this reads every value written through a field layout ({@link Schema}) into a {@link StoredObject} that
 * holds the stored field names and values, every reference to a persistent object into a {@link Reference}
 * naming its oid, and an enum constant of a class it cannot load into an {@link EnumConstant}. Values of the
 * JDK's classes are read by the same Kryo serializers jodb writes them with, so they come back as the JDK's
 * own objects (strings, numbers, collections, dates).
 *
 * <p>What it cannot read: a value of a class that is not on the class path and was not written through a
 * field layout (a Java record, a subclass of a JDK collection): nothing in the store says how its bytes are
 * laid out. Reading stops there; {@link StoredObject#unread} then holds the rest of the record's bytes and
 * why they were not read, and the fields before it are kept.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class RecordDecoder {
    static {
        // as ObjectRecordCodec does, before Kryo first loads: no sun.misc.Unsafe probe (JDK 24+ warns of it)
        System.getProperties().putIfAbsent("kryo.unsafe", "false");
    }

    /** A persistent object's state, or a value written through a field layout. */
    public static final class StoredObject {
        /** The class's stable name. */
        public final String className;
        /** The stored fields' names, in stored order. */
        public final List<String> names = new ArrayList<>();
        /** Each field's value: a boxed primitive, a JDK object, a {@link Reference}, {@link EnumConstant} or another {@link StoredObject}. */
        public final List<Object> values = new ArrayList<>();
        /** The bytes after the last field read, when reading stopped early; otherwise {@code null}. */
        public byte[] unread;
        /** Why reading stopped early, when it did. */
        public String unreadReason;

        StoredObject(String className) {
            this.className = className;
        }
    }

    /** A reference to another persistent object, as its oid. */
    public record Reference(String className, long oid) {
    }

    /** A constant of an enum that is not on the class path, as its name. */
    public record EnumConstant(String enumClass, String name) {
    }

    /** Thrown when a value cannot be read: nothing after it can be placed, so the whole read stops there. */
    private static final class StopReading extends RuntimeException {
        final byte[] rest;

        StopReading(String reason, byte[] rest) {
            super(reason, null, false, false);
            this.rest = rest;
        }
    }

    private final LongFunction<String> entries;
    private final Class<?> persistentMarker;
    private final ClassLoader loader = RecordDecoder.class.getClassLoader();
    private final DecoderKryo kryo = new DecoderKryo();

    /**
     * @param entries          the database's registry: the entry stored at an oid ({@link ObjectRecordCodec#entryOf}),
     *                         or {@code null} when there is none
     * @param persistentMarker the type every persistent class implements (the object layer's marker): values of
     *                         such a class are read as {@link Reference}s
     */
    public RecordDecoder(LongFunction<String> entries, Class<?> persistentMarker) {
        this.entries = Objects.requireNonNull(entries, "entries");
        this.persistentMarker = Objects.requireNonNull(persistentMarker, "persistentMarker");
    }

    /**
     * The registry id of the class an object record holds, or {@code -1} for a registry entry record or bytes
     * that are no object record.
     */
    public static long classEntryId(byte[] record) {
        if (record.length == 0 || record[0] != ObjectRecordCodec.OBJECT) {
            return -1;
        }
        try {
            Input in = new Input(record);
            in.readByte();
            int n = in.readVarInt(true);
            for (int i = 0; i < n; i++) {
                in.readVarLong(true);
            }
            return in.readVarLong(true);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The class name a class entry ({@code P:com.example.Account}, {@code C:java.util.ArrayList}) names, or {@code null}. */
    public static String className(String classEntry) {
        if (classEntry != null && (classEntry.startsWith(ObjectRecordCodec.PROXY)
                || classEntry.startsWith(ObjectRecordCodec.CLASS))) {
            return classEntry.substring(2);
        }
        return null;
    }

    /**
     * Reads an object record.
     *
     * @throws IllegalArgumentException when {@code record} is no object record, or names a class or field
     *                                  layout the registry does not hold
     */
    public StoredObject read(byte[] record) {
        if (record.length == 0 || record[0] != ObjectRecordCodec.OBJECT) {
            throw new IllegalArgumentException("not an object record (kind " + (record.length == 0 ? "none" : record[0]) + ")");
        }
        Input in = new Input(record);
        in.readByte();
        int n = in.readVarInt(true);
        for (int i = 0; i < n; i++) {
            in.readVarLong(true);
        }
        long classId = in.readVarLong(true);
        String name = className(entry(classId));
        if (name == null) {
            throw new IllegalArgumentException("registry entry " + classId + " names no class: " + entry(classId));
        }
        StoredObject object = new StoredObject(name);
        try {
            // the object itself went through Kryo's writeObject with references on: a "new object" mark first
            int mark = in.readVarInt(true);
            if (mark != Kryo.NOT_NULL) {
                throw new IllegalArgumentException("the record's state does not start with Kryo's new-object mark ("
                        + mark + ")");
            }
            // the writer gave the object itself the first reference id: a value met again refers to it by number
            int id = kryo.getReferenceResolver().nextReadId(StoredObject.class);
            kryo.getReferenceResolver().setReadObject(id, object);
            readFields(in, object, in.readVarLong(true));
        } catch (StopReading stop) {
            object.unread = stop.rest;
            object.unreadReason = stop.getMessage();
        } finally {
            kryo.reset();
        }
        return object;
    }

    private String entry(long id) {
        String entry = entries.apply(id);
        if (entry == null) {
            throw new IllegalArgumentException("the registry holds no entry " + id);
        }
        return entry;
    }

    /** Reads the fields of layout {@code layoutId} into {@code object}; throws {@link StopReading} at the first it cannot read. */
    private void readFields(Input in, StoredObject object, long layoutId) {
        Schema schema = Schema.decode(entry(layoutId));
        for (int i = 0; i < schema.names.length; i++) {
            int start = in.position();
            try {
                object.values.add(switch (schema.kinds[i]) {
                    case 'Z' -> in.readBoolean();
                    case 'B' -> in.readByte();
                    case 'C' -> in.readChar();
                    case 'S' -> in.readShort();
                    case 'I' -> in.readVarInt(false);
                    case 'J' -> in.readVarLong(false);
                    case 'F' -> in.readFloat();
                    case 'D' -> in.readDouble();
                    default -> kryo.readClassAndObject(in);
                });
                object.names.add(schema.names[i]);
            } catch (RuntimeException e) {
                StopReading inner = stopIn(e);
                if (inner != null) {
                    throw inner;
                }
                throw new StopReading("field " + schema.names[i] + " of " + schema.className + ": "
                        + (e instanceof Unreadable ? e.getMessage()
                        : "its bytes do not read as a value jodb writes (" + e + ")"),
                        Arrays.copyOfRange(in.getBuffer(), start, in.limit()));
            }
        }
    }

    /** The {@link StopReading} a serializer's exception wraps, if any (Kryo wraps some). */
    private static StopReading stopIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StopReading stop) {
                return stop;
            }
        }
        return null;
    }

    /** A value of a class the registry names but no class loader here knows: why it cannot be read. */
    private static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** A Kryo set up like jodb's own for reading, but resolving classes by registry entry without the application. */
    private final class DecoderKryo extends Kryo {
        DecoderKryo() {
            super(new EntryClassResolver(), new RecordReferenceResolver());
            setRegistrationRequired(false);
            setReferences(true);
            setAutoReset(false);
            // as jodb's own Kryo makes instances: by the no-argument constructor, else without a constructor
            setInstantiatorStrategy(new com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy(
                    new org.objenesis.strategy.StdInstantiatorStrategy()));
            setDefaultSerializer(new SerializerFactory.BaseSerializerFactory<LayoutReader>() {
                @Override
                public LayoutReader newSerializer(Kryo kryo, Class type) {
                    return new LayoutReader(ClassNames.stableName(type));
                }
            });
            addDefaultSerializer(Enum.class, new SerializerFactory.BaseSerializerFactory<EnumByName>() {
                @Override
                public EnumByName newSerializer(Kryo kryo, Class type) {
                    return new EnumByName(type);
                }
            });
            ValueSerializers.register(this);
            AsciiStrings.register(this);
            WrapperSerializers.register(this);
        }
    }

    /** Reads a value written through a field layout ({@link FieldsSerializer}'s format) into a {@link StoredObject}. */
    private final class LayoutReader extends ReadOnly {
        private final String className;

        LayoutReader(String className) {
            this.className = className;
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            StoredObject object = new StoredObject(className);
            kryo.reference(object);
            readFields(input, object, input.readVarLong(true));
            return object;
        }
    }

    /** Resolves a class by its registry entry; a class no loader here knows gets a reader of its own. */
    private final class EntryClassResolver extends DefaultClassResolver {
        private final Map<Long, Registration> byEntry = new HashMap<>();

        @Override
        protected Registration readName(Input input) {
            long id = input.readVarLong(true);
            Registration known = byEntry.get(id);
            if (known == null) {
                known = registrationOf(entry(id));
                byEntry.put(id, known);
            }
            return known;
        }

        private Registration registrationOf(String entry) {
            String name = className(entry);
            if (name == null) {
                throw new Unreadable("registry entry " + entry + " names no class");
            }
            if (entry.startsWith(ObjectRecordCodec.PROXY)) {
                return new Registration(Reference.class, new ReferenceReader(name), NAME);
            }
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return new Registration(StoredObject.class, new UnknownClassReader(name), NAME);
            }
            if (persistentMarker.isAssignableFrom(type)) {
                return new Registration(Reference.class, new ReferenceReader(name), NAME);
            }
            return kryo.getRegistration(type);
        }
    }

    /** A persistent object met inside a state: its oid ({@link ReferenceSerializer}'s format). */
    private static final class ReferenceReader extends ReadOnly {
        private final String className;

        ReferenceReader(String className) {
            this.className = className;
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            return new Reference(className, input.readVarLong(true));
        }
    }

    /**
     * A value of a class not on the class path. Most are the application's classes, written through a field
     * layout, whose entry names the same class: that is checked first. An enum is written as its constant's
     * name ({@link EnumByName}). Anything else has a format only its class knows.
     */
    private final class UnknownClassReader extends ReadOnly {
        private final String className;

        UnknownClassReader(String className) {
            this.className = className;
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            int start = input.position();
            try {
                long layoutId = input.readVarLong(true);
                String layout = entries.apply(layoutId);
                if (layout != null && layout.startsWith(Schema.PREFIX)
                        && Schema.decode(layout).className.equals(className)) {
                    StoredObject object = new StoredObject(className);
                    kryo.reference(object);
                    readFields(input, object, layoutId);
                    return object;
                }
            } catch (StopReading stop) {
                throw stop;
            } catch (RuntimeException notALayout) {
                // fall through to the enum's form
            }
            input.setPosition(start);
            try {
                String constant = input.readString();
                if (constant != null && !constant.isEmpty() && Character.isJavaIdentifierStart(constant.charAt(0))
                        && constant.chars().allMatch(Character::isJavaIdentifierPart)) {
                    return new EnumConstant(className, constant);
                }
            } catch (RuntimeException notAName) {
                // neither form
            }
            input.setPosition(start);
            throw new Unreadable(className + " is not on the class path, and its value is neither in a field"
                    + " layout nor an enum constant's name (a Java record, or a subclass of a JDK collection, is"
                    + " written by a serializer of its own): its bytes cannot be read without the class");
        }
    }

    /** A serializer this class only reads with. */
    private abstract static class ReadOnly extends com.esotericsoftware.kryo.Serializer<Object> {
        @Override
        public void write(Kryo kryo, com.esotericsoftware.kryo.io.Output output, Object object) {
            throw new UnsupportedOperationException("read only");
        }
    }
}
