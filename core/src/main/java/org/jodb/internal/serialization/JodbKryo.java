package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** A pooled Kryo instance with the per-call state of one record read or write. Not thread-safe. */
final class JodbKryo extends Kryo {
    private static final int BODY_SIZE = 4096;
    private static final int HEADER_SIZE = 64;
    private static final int REFS_SIZE = 16;
    /**
     * Write buffers (bytes, or oids for {@link #refs}) larger than this are dropped at the end of a call:
     * one huge record must not leave its buffers with the thread (or the pool) for good, while records up
     * to this size (map chunks, large objects) come in runs and reuse what the previous one grew.
     */
    static final int RETAINED_LIMIT = 1 << 20;

    final Output body = new Output(BODY_SIZE, -1);
    final Output header = new Output(HEADER_SIZE, -1);
    final Input input = new Input();
    private final Map<Class<?>, FieldsSerializer> topSerializers = new HashMap<>();
    /** The serializer {@link #stateSerializer} returned last. */
    private FieldsSerializer lastStateSerializer;
    private final ObjectRecordCodec codec;
    /** True while a codec call uses this instance. */
    boolean busy;
    /** True for an instance of the codec's pool (nested use), false for a thread's first choice. */
    boolean pooled;
    /** The top-level serializer of {@code ObjectRecordCodec.readInto} (read side). */
    final ObjectRecordCodec.ReadInto readInto = new ObjectRecordCodec.ReadInto();
    /** The connection the current call works for; null between calls. */
    RecordContext context;
    /** Oids (references and registry entries) met while writing the current record. */
    private long[] refs = new long[REFS_SIZE];
    /** The class {@link #classEntryId} named last in this record, or null; and its entry id. */
    private Class<?> lastNamed;
    private long lastNamedId;
    private int refCount;
    /**
     * Reading a {@link LazyMapValues} state: the depth at which the map serializer makes its map (the one right
     * below the fields' reader, which sets it), whose values may be lazy; -1 otherwise. A map made at another
     * depth (inside a key or a value) never is.
     */
    int lazyMapDepth = -1;
    /** The depth at which that map's keys and values are read; -1 when no such map is being read. */
    int lazyEntriesDepth = -1;
    /** Objects read at {@link #lazyEntriesDepth} so far: keys are the even ones, values the odd ones. */
    private int entriesRead;
    /** The depth at which {@link ReferenceSerializer} may answer a {@link LazyReference}; -1 for none. */
    int lazyReferenceDepth = -1;

    JodbKryo(ObjectRecordCodec codec, RegistryClassResolver resolver) {
        super(resolver, new RecordReferenceResolver());
        this.codec = codec;
    }

    /** A map is being made: when it is the one the fields' reader announced ({@link #lazyMapDepth}), its entries follow. */
    void mapMade() {
        if (lazyMapDepth == getDepth()) {
            lazyMapDepth = -1;
            lazyEntriesDepth = getDepth();
            entriesRead = 0;
        }
    }

    /** The lazy map's reading ended (or never started). */
    void lazyEntriesEnd() {
        lazyMapDepth = -1;
        lazyEntriesDepth = -1;
        lazyReferenceDepth = -1;
    }

    /**
     * Kryo's, but a value of a {@link LazyMapValues} state's map (every second object read directly by the map's
     * serializer, which reads key, value, key, value) may be read as a {@link LazyReference}: only at the depth
     * right below it, so a reference inside the value (an element of a list) is an instance as always.
     */
    @Override
    public Object readClassAndObject(Input input) {
        if (lazyEntriesDepth != getDepth() || (entriesRead++ & 1) == 0) {
            return super.readClassAndObject(input);
        }
        int outer = lazyReferenceDepth;
        lazyReferenceDepth = getDepth() + 1;
        try {
            return super.readClassAndObject(input);
        } finally {
            lazyReferenceDepth = outer;
        }
    }

    /** Kryo's choice, unless its records could not be read back ({@link UnreadableTypes}). */
    @Override
    @SuppressWarnings("rawtypes")
    public com.esotericsoftware.kryo.Serializer getDefaultSerializer(Class type) {
        return UnreadableTypes.check(type, super.getDefaultSerializer(type));
    }

    ObjectRecordCodec codec() {
        return codec;
    }

    void begin(RecordContext ctx) {
        this.context = ctx;
        refCount = 0;
        lastNamed = null;
    }

    void end() {
        context = null;
        reset();
        // one length check each: the common small record keeps its buffers and allocates nothing here
        if (body.getBuffer().length > RETAINED_LIMIT) {
            body.setBuffer(new byte[BODY_SIZE], -1);
        }
        if (header.getBuffer().length > RETAINED_LIMIT) {
            header.setBuffer(new byte[HEADER_SIZE], -1);
        }
        if (refs.length > RETAINED_LIMIT / 8) {
            refs = new long[REFS_SIZE];
        }
    }

    void addRef(long oid) {
        if (refCount == refs.length) {
            refs = Arrays.copyOf(refs, refCount * 2);
        }
        refs[refCount++] = oid;
    }

    /** The distinct oids met, sorted, in {@link #refs} from 0; returns how many (ends the record's refs). */
    int distinctRefs() {
        long[] sorted = refs;
        Arrays.sort(sorted, 0, refCount);
        int n = 0;
        for (int i = 0; i < refCount; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        refCount = n;
        return n;
    }

    /** The oids of {@link #distinctRefs}. */
    long[] refs() {
        return refs;
    }

    long entryId(String entry) {
        long id = context.entryId(entry);
        addRef(id);
        return id;
    }

    /**
     * The registry entry id of class {@code type} as a value's class in the record being written ({@link
     * #entryId} of its class entry). A record names the same class for a run of values (the 512 references of
     * a map chunk, the values of a tree bucket): the last one named is remembered for the rest of the record,
     * so that the run asks the class's entry and the connection's registry once, and adds one reference.
     */
    long classEntryId(Class<?> type) {
        if (type == lastNamed) {
            return lastNamedId;
        }
        long id = entryId(codec.classEntry(type));
        lastNamed = type;
        lastNamedId = id;
        return id;
    }

    /** Bytes kept for writing records between calls: the two buffers and the array of oids. */
    long retainedWriteBytes() {
        return body.getBuffer().length + header.getBuffer().length + 8L * refs.length;
    }

    /** The serializer of a persistent object's own state (its fields), not of a reference to it. */
    FieldsSerializer stateSerializer(Class<?> userClass) {
        FieldsSerializer s = lastStateSerializer;
        if (s != null && s.type() == userClass) {
            return s; // loads come in runs of one class: skip the map lookup
        }
        s = topSerializers.get(userClass); // no capturing lambda per record read
        if (s == null) {
            s = FieldsSerializer.forState(this, userClass);
            topSerializers.put(userClass, s);
        }
        lastStateSerializer = s;
        return s;
    }
}
