package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.jodb.UnsupportedClassException;
import org.objenesis.instantiator.ObjectInstantiator;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Turns the state of a persistent object into a record of bytes and back, with Kryo.
 *
 * <h2>Record formats</h2>
 * An <b>object record</b>:
 * <pre>
 *   byte     1 (OBJECT)
 *   varint   n, the number of oids this record refers to
 *   varlong  n oids, ascending: persistent objects referenced and registry entries used
 *   varlong  the registry id of the object's class ("P:&lt;user class&gt;" for a proxy, "C:&lt;class&gt;" otherwise)
 *   ...      the object's fields, written by Kryo (references on) through a field layout entry
 * </pre>
 * A <b>registry entry record</b> (at the oid that is the entry's id): {@code byte 2 (ENTRY)} followed by
 * the entry in UTF-8. Entries are class names ({@code C:java.util.ArrayList}), persistent class names
 * ({@code P:com.example.Account}) and field layouts ({@link Schema}). Listing every oid a record needs in
 * its header lets {@link #references} answer pack without decoding Kryo data. Enum constants are written
 * by name under their enum's class entry ({@link EnumByName}), never by ordinal. A value whose record
 * could not be read back (a collection view, see {@link UnreadableTypes}) is refused when written, so it
 * is never committed.
 *
 * <h2>Threads</h2>
 * Thread-safe: Kryo instances come from a pool; each call uses one for its duration.
 */
public final class ObjectRecordCodec {
    static {
        // Kryo reads this once, when its Util class initialises; jodb reaches Kryo only through this class, so
        // this runs first (unless the application used Kryo before). With Unsafe on, Kryo probes
        // sun.misc.Unsafe at start-up, and JDK 24 and later print a four-line warning about it; jodb's
        // serializers never use Kryo's Unsafe-based fields or streams, so nothing is lost. An application's
        // own choice (-Dkryo.unsafe=...) is kept.
        System.getProperties().putIfAbsent("kryo.unsafe", "false");
    }

    static final byte OBJECT = 1;
    static final byte ENTRY = 2;
    static final String CLASS = "C:";
    static final String PROXY = "P:";
    private static final byte[] NO_BYTES = new byte[0];

    private final PersistentTypes types;
    /** Which classes are persistent, to warn about plain instances of them stored as values. */
    private final ValueCopies valueCopies = new ValueCopies();
    private final ClassNames classNames;
    private final Map<Long, Class<?>> classes = new ConcurrentHashMap<>();
    private volatile int classesEpoch = ClassNames.epoch();
    private final Map<Long, Schema> schemas = new ConcurrentHashMap<>();
    /** Kryo instances for nested use on one thread (a load while another record is being read). */
    private final Pool<JodbKryo> pool = new Pool<>(true, false, 64) {
        @Override
        protected JodbKryo create() {
            JodbKryo k = newKryo();
            k.pooled = true;
            return k;
        }
    };
    /** The first-choice instance of each thread: no locking on the common path. */
    private final ThreadLocal<JodbKryo> local = ThreadLocal.withInitial(this::newKryo);
    /**
     * The thread that last called, with its first-choice instance: a connection's loads come from one
     * thread, and this spares them the thread-local lookup (slow in a thread with many thread-locals).
     * Immutable, so it is safely shared without locking.
     */
    private ThreadKryo lastThread;
    /** How every Kryo instance, and {@link #newInstance}, makes objects. Stateless. */
    private final DefaultInstantiatorStrategy instantiation =
            new DefaultInstantiatorStrategy(new StdInstantiatorStrategy());
    /** The instantiator of each class, made once (the strategy looks up constructors reflectively). */
    private final ClassValue<ObjectInstantiator<?>> instantiators = new ClassValue<>() {
        @Override
        protected ObjectInstantiator<?> computeValue(Class<?> type) {
            return instantiation.newInstantiatorOf(type);
        }
    };
    private final ClassValue<String> classEntries = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            if (!type.isEnum() && type.getSuperclass() != null && type.getSuperclass().isEnum()) {
                type = type.getSuperclass(); // a constant with a body: stored under its enum's name
            }
            if (type.isHidden()) {
                // a lambda's class is found again only in the JVM that made it: after a restart, the record
                // naming it (the root map, say) could not be loaded at all
                throw new UnsupportedClassException("jodb cannot store a " + type.getName() + ": it is a lambda"
                        + " (or another hidden class), which no later run of the JVM can load again; store an"
                        + " instance of a named class instead (a class, record or enum implementing "
                        + Arrays.toString(type.getInterfaces()) + ")");
            }
            return types.isProxy(type) ? PROXY + ClassNames.stableName(types.userClass(type))
                    : CLASS + ClassNames.stableName(type);
        }
    };

    public ObjectRecordCodec(PersistentTypes types, ClassNames classNames) {
        this.types = Objects.requireNonNull(types, "types");
        this.classNames = Objects.requireNonNull(classNames, "classNames");
    }

    private JodbKryo newKryo() {
        JodbKryo k = new JodbKryo(this, new RegistryClassResolver());
        k.setRegistrationRequired(false);
        k.setReferences(true);
        k.setAutoReset(false);
        k.setInstantiatorStrategy(instantiation);
        k.setDefaultSerializer(new SerializerFactory.BaseSerializerFactory<FieldsSerializer>() {
            @Override
            public FieldsSerializer newSerializer(com.esotericsoftware.kryo.Kryo kryo, Class type) {
                return FieldsSerializer.forValues((JodbKryo) kryo, type);
            }
        });
        k.addDefaultSerializer(types.marker(), new ReferenceSerializer());
        k.addDefaultSerializer(Enum.class, new SerializerFactory.BaseSerializerFactory<EnumByName>() {
            @Override
            public EnumByName newSerializer(com.esotericsoftware.kryo.Kryo kryo, Class type) {
                return new EnumByName(type);
            }
        });
        ValueSerializers.register(k);
        AsciiStrings.register(k);
        WrapperSerializers.register(k);
        return k;
    }

    /** The state of persistent object {@code object} as an object record. */
    public byte[] write(Object object, RecordContext ctx) {
        if (object instanceof LazyMapValues lazy) {
            lazy.resolveLazyValues(); // no LazyReference may reach Kryo (it makes ghosts: nothing is read)
        }
        JodbKryo k = obtain();
        try {
            k.begin(ctx);
            Class<?> userClass = types.userClass(object.getClass());
            if (userClass != object.getClass()) {
                valueCopies.persistent(userClass);
            }
            long typeId = k.entryId(classEntry(object.getClass()));
            Output body = k.body;
            body.reset();
            k.writeObject(body, object, k.stateSerializer(userClass));
            int refCount = k.distinctRefs();
            long[] refs = k.refs();
            Output header = k.header;
            header.reset();
            header.writeByte(OBJECT);
            header.writeVarInt(refCount, true);
            for (int i = 0; i < refCount; i++) {
                header.writeVarLong(refs[i], true);
            }
            header.writeVarLong(typeId, true);
            byte[] record = new byte[header.position() + body.position()];
            System.arraycopy(header.getBuffer(), 0, record, 0, header.position());
            System.arraycopy(body.getBuffer(), 0, record, header.position(), body.position());
            return record;
        } catch (KryoException e) {
            throw new UnsupportedClassException("jodb cannot store an object of "
                    + types.userClass(object.getClass()).getName() + ": " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            // values are written recursively: a long chain of non-persistent objects (a hand-made linked
            // list, arrays in arrays) overflows the stack; the stack is unwound here, and end() resets Kryo
            throw new UnsupportedClassException("jodb cannot store an object of "
                    + types.userClass(object.getClass()).getName() + ": its state nests non-persistent values"
                    + " too deeply to serialize (the stack overflowed); make the links of a long chain persistent"
                    + " objects (each is then a record of its own), or hold the values in a flat collection", e);
        } finally {
            k.end();
            free(k);
        }
    }

    /**
     * {@code userClass} is used as a persistent class ({@code Connection.create} made one): a plain instance
     * of it written as a value from now on is reported once (see {@link ValueCopies}).
     */
    public void usedAsPersistent(Class<?> userClass) {
        valueCopies.persistent(userClass);
    }

    ValueCopies valueCopies() {
        return valueCopies;
    }

    /** The class of the instance a record must be read into (a proxy class for a user class). */
    public Class<?> typeOf(byte[] record, RecordContext ctx) {
        Input in = new Input(record);
        expectObject(in);
        skipRefs(in);
        return classOf(in.readVarLong(true), ctx);
    }

    /**
     * Reads an object record into an existing instance, replacing every field (fields the record lacks
     * get their default value; transient fields are reset to theirs).
     */
    public void readInto(byte[] record, Object target, RecordContext ctx) {
        JodbKryo k = obtain();
        try {
            k.begin(ctx);
            Input in = k.input;
            in.setBuffer(record);
            expectObject(in);
            skipRefs(in);
            in.readVarLong(true);
            Class<?> userClass = types.userClass(target.getClass());
            ReadInto into = k.readInto;
            into.target = target;
            into.fields = k.stateSerializer(userClass);
            k.readObject(in, userClass, into);
        } finally {
            k.readInto.target = null;
            k.readInto.fields = null;
            k.input.setBuffer(NO_BYTES); // holds no record between calls
            k.end();
            free(k);
        }
    }

    /**
     * Sets every stored and transient field of {@code target} to its default, releasing what it
     * referenced (a ghost).
     */
    public void clearFields(Object target) {
        JodbKryo k = obtain();
        try {
            k.stateSerializer(types.userClass(target.getClass())).clear(target);
        } finally {
            free(k);
        }
    }

    /**
     * An instance of {@code type} for a ghost, made as Kryo makes instances: by the class's no-argument
     * constructor when it has one, else without running a constructor.
     */
    @SuppressWarnings("unchecked")
    public <T> T newInstance(Class<T> type) {
        return (T) instantiators.get(type).newInstance();
    }

    /** The oids an object record refers to (persistent objects and registry entries); for pack. */
    public static void references(byte[] record, LongConsumer oids) {
        if (record.length == 0 || record[0] != OBJECT) {
            return;
        }
        Input in = new Input(record);
        in.readByte();
        int n = in.readVarInt(true);
        for (int i = 0; i < n; i++) {
            oids.accept(in.readVarLong(true));
        }
    }

    /** The record of a registry entry. */
    public static byte[] entryRecord(String entry) {
        byte[] utf8 = entry.getBytes(StandardCharsets.UTF_8);
        byte[] record = new byte[utf8.length + 1];
        record[0] = ENTRY;
        System.arraycopy(utf8, 0, record, 1, utf8.length);
        return record;
    }

    /** The entry stored in a registry entry record. */
    public static String entryOf(byte[] record) {
        if (record.length == 0 || record[0] != ENTRY) {
            throw new IllegalArgumentException("not a registry entry record");
        }
        return new String(record, 1, record.length - 1, StandardCharsets.UTF_8);
    }

    /** True when {@code record} is a registry entry record rather than an object's state. */
    public static boolean isEntryRecord(byte[] record) {
        return record.length > 0 && record[0] == ENTRY;
    }

    String classEntry(Class<?> type) {
        return classEntries.get(type);
    }

    /** For tests: bytes the calling thread's own instance keeps for writing records between calls. */
    long retainedWriteBytes() {
        return local.get().retainedWriteBytes();
    }

    private JodbKryo obtain() {
        Thread thread = Thread.currentThread();
        ThreadKryo last = lastThread;
        JodbKryo k;
        if (last != null && last.thread == thread) {
            k = last.kryo;
        } else {
            k = local.get();
            lastThread = new ThreadKryo(thread, k);
        }
        if (k.busy) {
            k = pool.obtain();
        }
        k.busy = true;
        return k;
    }

    private void free(JodbKryo k) {
        k.busy = false;
        if (k.pooled) {
            pool.free(k);
        }
    }

    /** A thread and its first-choice Kryo instance (see {@link #lastThread}). */
    private record ThreadKryo(Thread thread, JodbKryo kryo) {
    }

    /**
     * Reads a record's fields into an existing instance: the top-level serializer of {@link #readInto},
     * one per Kryo instance, set up for each call.
     */
    static final class ReadInto extends com.esotericsoftware.kryo.Serializer<Object> {
        Object target;
        FieldsSerializer fields;

        @Override
        public void write(com.esotericsoftware.kryo.Kryo kryo, Output output, Object object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object read(com.esotericsoftware.kryo.Kryo kryo, Input input, Class<?> type) {
            Object t = target;
            kryo.reference(t);
            fields.clearTransients(t); // a reload must not keep what was derived from the old state
            fields.readFields((JodbKryo) kryo, input, t);
            return t;
        }
    }

    Class<?> classOf(long id, RecordContext ctx) {
        int epoch = ClassNames.epoch();
        if (epoch != classesEpoch) {
            classes.clear();
            classesEpoch = epoch;
        }
        Class<?> type = classes.get(id);
        if (type == null) {
            String entry = ctx.entry(id);
            if (entry.startsWith(PROXY)) {
                Class<?> userClass = classNames.resolve(entry.substring(PROXY.length()));
                valueCopies.persistent(userClass);
                type = types.proxyClass(userClass);
            } else if (entry.startsWith(CLASS)) {
                type = classNames.resolve(entry.substring(CLASS.length()));
            } else {
                throw new IllegalStateException("registry entry " + id + " is not a class: " + entry);
            }
            if (!isRedefinable(type)) {
                classes.put(id, type); // a JShell class may be redefined by any snippet: resolve it each time
            }
        }
        return type;
    }

    /** True for a (proxy of a) JShell class: any snippet may redefine it, so it is never cached by id. */
    boolean isRedefinable(Class<?> type) {
        return ClassNames.isJShellClass(types.userClass(type));
    }

    Schema schema(long id, RecordContext ctx) {
        Schema s = schemas.get(id);
        if (s == null) {
            s = Schema.decode(ctx.entry(id));
            schemas.put(id, s);
        }
        return s;
    }

    private static void expectObject(Input in) {
        byte kind = in.readByte();
        if (kind != OBJECT) {
            throw new IllegalArgumentException("not an object record (kind " + kind + ")");
        }
    }

    private static void skipRefs(Input in) {
        int n = in.readVarInt(true);
        for (int i = 0; i < n; i++) {
            in.readVarLong(true);
        }
    }
}
