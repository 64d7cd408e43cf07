package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jodb.UnsupportedClassException;

/**
 * Writes an object as the id of its {@link Schema} followed by its field values, and reads a record into
 * a new or an existing instance, matching fields by name: a stored field the class no longer has is
 * skipped, a field the record lacks gets its default value (0, false, null).
 *
 * <p>Fields are every non-static, non-transient, non-synthetic instance field of the class and its
 * superclasses (transient fields are never stored: they are reset to their default when the object is
 * ghosted or its state is loaded again); a name declared twice in the hierarchy is qualified with the declaring class's simple
 * name for the superclass's copy. One instance per Kryo instance and class; not thread-safe.
 */
final class FieldsSerializer extends Serializer<Object> {
    private static final System.Logger LOG = System.getLogger(FieldsSerializer.class.getName());
    private final Class<?> type;
    private final Field[] fields;
    /**
     * The class's transient instance fields (ZODB's {@code _v_} attributes): never stored, and reset to
     * their default whenever the object's state is cleared or loaded again, so no stale value outlives
     * the state it was derived from. jodb's own bookkeeping ({@code $jodb...}) is left alone.
     */
    private final Field[] transients;
    /** True when the class has transient instance fields and nothing else to store. */
    private final boolean storesNoState;
    /** Whether the class is the JDK's: a failure inside it names the class, not its private fields. */
    private final boolean jdk;
    /** Why instances of the class must not be written (read as usual), or null. */
    private final String unwritable;
    private final char[] kinds;
    private final String schemaEntry;
    private final Map<String, Integer> indexByName = new HashMap<>();
    /** Per stored layout id: how its fields map onto this class's. */
    private final Map<Long, Binding> bindings = new HashMap<>();
    /** The binding used last: records of a class nearly always share one layout. */
    private Binding lastBinding;
    /**
     * For a serializer of values: the class's {@link ValueCopies} flags, tested on each write; null for the
     * serializer of a persistent object's own state.
     */
    private final boolean[] copyFlags;

    /** jodb's own live objects: storing one would copy a database into a record. */
    private static final java.util.Set<String> LIVE = java.util.Set.of("org.jodb.Database", "org.jodb.Connection",
            "org.jodb.transaction.TransactionManager", "org.jodb.internal.object.Session", "org.jodb.internal.object.ObjectLayer");

    /**
     * Refuses with a message naming the JDK class, not field {@code f}, when {@code f} is a JDK class's private
     * field (of {@code type} itself or of a JDK superclass): which one fails first differs between JDKs.
     * Returns when {@code f} is the application's, for the caller's own refusal.
     */
    private void refuseJdkState(Field f, Throwable e) {
        if (jdk) {
            throw JdkStateRefusals.jdkClass(type, e);
        }
        if (UnreadableTypes.isJdk(f.getDeclaringClass())) {
            throw JdkStateRefusals.jdkSuperclass(type, e);
        }
    }

    /** A serializer of values of {@code type} (fields of other objects, elements of collections). */
    static FieldsSerializer forValues(JodbKryo kryo, Class<?> type) {
        return new FieldsSerializer(kryo, type, kryo.codec().valueCopies().flags(type));
    }

    /** The serializer of the own state of persistent objects of user class {@code type}. */
    static FieldsSerializer forState(JodbKryo kryo, Class<?> type) {
        return new FieldsSerializer(kryo, type, null);
    }

    private FieldsSerializer(JodbKryo kryo, Class<?> type, boolean[] copyFlags) {
        this.type = type;
        this.jdk = UnreadableTypes.isJdk(type);
        this.copyFlags = copyFlags;
        if (LIVE.contains(type.getName()) || org.jodb.spi.Storage.class.isAssignableFrom(type)
                || org.jodb.transaction.Transaction.class.isAssignableFrom(type)) {
            throw new UnsupportedClassException("jodb cannot store a " + type.getName() + ": it is part of"
                    + " the running database, not data; keep it in a transient field or pass it as an argument");
        }
        List<Field> list = new ArrayList<>();
        List<Field> volatiles = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Deque<Class<?>> hierarchy = new ArrayDeque<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.push(c);
        }
        for (Class<?> c : hierarchy) { // superclass first
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) && !f.isSynthetic()) {
                    if (!Modifier.isTransient(m)) {
                        list.add(f);
                    } else if (!f.getName().startsWith("$jodb")) {
                        volatiles.add(f);
                    }
                }
            }
        }
        // the most derived declaration of a name keeps it plain; a shadowed one is qualified
        Set<String> taken = new HashSet<>();
        String[] chosen = new String[list.size()];
        for (int i = list.size() - 1; i >= 0; i--) {
            Field f = list.get(i);
            chosen[i] = taken.add(f.getName()) ? f.getName()
                    : f.getDeclaringClass().getSimpleName() + "." + f.getName();
        }
        for (int i = 0; i < list.size(); i++) {
            Field f = list.get(i);
            try {
                f.setAccessible(true);
            } catch (InaccessibleObjectException | SecurityException e) {
                refuseJdkState(f, e);
                throw new UnsupportedClassException("jodb cannot store " + type.getName() + ": field "
                        + f.getDeclaringClass().getName() + "." + f.getName() + " is not accessible ("
                        + e.getMessage() + "); " + JdkStateRefusals.NOT_DATA, e);
            }
            names.add(chosen[i]);
            indexByName.put(chosen[i], i);
        }
        this.fields = list.toArray(new Field[0]);
        List<Field> resettable = new ArrayList<>();
        for (Field f : volatiles) {
            try {
                f.setAccessible(true);
                resettable.add(f);
            } catch (InaccessibleObjectException | SecurityException e) {
                // a JDK value class: only ever read into fresh instances, whose transients are defaults
            }
        }
        this.transients = resettable.toArray(new Field[0]);
        this.storesNoState = list.isEmpty() && !volatiles.isEmpty();
        this.unwritable = containerSubclassFields(type);
        Schema schema = Schema.of(ClassNames.stableName(type), list, names);
        this.kinds = schema.kinds;
        this.schemaEntry = schema.encode();
    }

    /** The class this serializer reads and writes. */
    Class<?> type() {
        return type;
    }

    boolean storesNoState() {
        return storesNoState;
    }

    /**
     * Why a subclass of {@code PersistentMap} or {@code PersistentList} with fields of its own cannot be
     * stored, or null. Such a subclass is made with {@code new}, not by {@code Connection.create}, so no proxy
     * intercepts its methods: while the map is a ghost its fields read empty, and a change to them alone is
     * never found (before this check, both lost data silently). Records written before still load.
     */
    private static String containerSubclassFields(Class<?> type) {
        List<String> own = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            String name = c.getName();
            if (name.equals("org.jodb.PersistentMap") || name.equals("org.jodb.PersistentList")) {
                if (own.isEmpty()) {
                    return null;
                }
                return "jodb cannot store a " + type.getName() + ": a subclass of " + c.getSimpleName()
                        + " cannot keep fields of its own (" + String.join(", ", own) + "): it is made with new,"
                        + " not by Connection.create, so its methods are not intercepted; such a field reads"
                        + " empty until the " + c.getSimpleName() + " is loaded, and a change to it alone is never"
                        + " written. Keep those values in the entries, or hold the " + c.getSimpleName()
                        + " in a field of a class made by Connection.create";
            }
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
                    own.add(c.getSimpleName() + "." + f.getName());
                }
            }
        }
        return null;
    }

    @Override
    public void write(Kryo kryo, Output output, Object object) {
        if (unwritable != null) {
            throw new UnsupportedClassException(unwritable);
        }
        if (copyFlags != null && copyFlags[ValueCopies.PERSISTENT]) {
            ValueCopies.warnOnce(type, copyFlags);
        }
        JodbKryo k = (JodbKryo) kryo;
        output.writeVarLong(k.entryId(schemaEntry), true);
        for (int i = 0; i < fields.length; i++) {
            Field f = fields[i];
            try {
                switch (kinds[i]) {
                    case 'Z' -> output.writeBoolean(f.getBoolean(object));
                    case 'B' -> output.writeByte(f.getByte(object));
                    case 'C' -> output.writeChar(f.getChar(object));
                    case 'S' -> output.writeShort(f.getShort(object));
                    case 'I' -> output.writeVarInt(f.getInt(object), false);
                    case 'J' -> output.writeVarLong(f.getLong(object), false);
                    case 'F' -> output.writeFloat(f.getFloat(object));
                    case 'D' -> output.writeDouble(f.getDouble(object));
                    default -> kryo.writeClassAndObject(output, f.get(object));
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (UnsupportedClassException | KryoException | UnsupportedOperationException
                     | IllegalArgumentException e) {
                // the path through a JDK class's private fields differs between JDKs: name the class instead
                refuseJdkState(f, e);
                throw new UnsupportedClassException("jodb cannot store field " + type.getName() + "."
                        + f.getName() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> ignored) {
        Object object = kryo.newInstance(type);
        kryo.reference(object);
        readFields((JodbKryo) kryo, input, object);
        return object;
    }

    /** Reads a record's fields into {@code object}, which must already be registered as a reference. */
    void readFields(JodbKryo kryo, Input input, Object object) {
        long layoutId = input.readVarLong(true);
        Binding b = lastBinding;
        if (b == null || b.layoutId != layoutId) {
            b = bindings.get(layoutId);
            if (b == null) {
                b = bind(layoutId, kryo.codec().schema(layoutId, kryo.context));
                bindings.put(layoutId, b);
            }
            lastBinding = b;
        }
        char[] kinds = b.kinds;
        int[] targets = b.targets;
        boolean[] direct = b.direct;
        boolean lazy = object instanceof LazyMapValues;
        if (lazy) {
            kryo.lazyMapDepth = kryo.getDepth() + 1; // where the map serializer of its map field runs
        }
        try {
            for (int i = 0; i < targets.length; i++) {
                char kind = kinds[i];
                if (direct[i]) { // same primitive type stored and declared: no boxing, no conversion
                    Field f = fields[targets[i]];
                    switch (kind) {
                        case 'Z' -> f.setBoolean(object, input.readBoolean());
                        case 'B' -> f.setByte(object, input.readByte());
                        case 'C' -> f.setChar(object, input.readChar());
                        case 'S' -> f.setShort(object, input.readShort());
                        case 'I' -> f.setInt(object, input.readVarInt(false));
                        case 'J' -> f.setLong(object, input.readVarLong(false));
                        case 'F' -> f.setFloat(object, input.readFloat());
                        default -> f.setDouble(object, input.readDouble());
                    }
                    continue;
                }
                Object value = switch (kind) {
                    case 'Z' -> input.readBoolean();
                    case 'B' -> input.readByte();
                    case 'C' -> input.readChar();
                    case 'S' -> input.readShort();
                    case 'I' -> input.readVarInt(false);
                    case 'J' -> input.readVarLong(false);
                    case 'F' -> input.readFloat();
                    case 'D' -> input.readDouble();
                    default -> kryo.readClassAndObject(input);
                };
                int target = targets[i];
                if (target >= 0 && !assign(object, fields[target], value)) {
                    assign(object, fields[target], null); // a value the field cannot hold: its default
                    if (!b.warned[i]) {
                        b.warned[i] = true;
                        warnUnassignable(fields[target], value);
                    }
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } finally {
            if (lazy) {
                kryo.lazyEntriesEnd();
                ((LazyMapValues) object).valuesRead();
            }
        }
        for (int missing : b.missing) {
            assign(object, fields[missing], null);
        }
    }

    /**
     * The field's type changed since records were written (a {@code String price} became a {@code BigDecimal
     * price}): the value loads as the default, and is gone for good once the object is written again. Said
     * once per field and stored layout, so that the change does not go unnoticed.
     */
    private void warnUnassignable(Field f, Object value) {
        LOG.log(System.Logger.Level.WARNING, "stored records of " + type.getName() + " hold a "
                + value.getClass().getName() + " in field " + f.getName() + ", which its type "
                + f.getType().getName() + " cannot hold: it loads as " + (f.getType().isPrimitive() ? "0/false"
                : "null") + ", and the stored value is lost when the object is written again. To convert it,"
                + " keep a field of the old type under the old name, declare the new type under a new name,"
                + " and copy the values over in a migration");
    }

    /** Sets every stored and every transient field to its default (the object becomes a ghost). */
    void clear(Object object) {
        try {
            for (int i = 0; i < fields.length; i++) { // by the kind known already: every ghosting passes here
                Field f = fields[i];
                switch (kinds[i]) {
                    case 'L' -> f.set(object, null);
                    case 'Z' -> f.setBoolean(object, false);
                    case 'B' -> f.setByte(object, (byte) 0);
                    case 'C' -> f.setChar(object, '\0');
                    case 'S' -> f.setShort(object, (short) 0);
                    case 'I' -> f.setInt(object, 0);
                    case 'J' -> f.setLong(object, 0L);
                    case 'F' -> f.setFloat(object, 0f);
                    default -> f.setDouble(object, 0d);
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        clearTransients(object);
    }

    /** Sets every transient field to its default (the object's state is about to be loaded again). */
    void clearTransients(Object object) {
        for (Field f : transients) {
            assign(object, f, null);
        }
    }

    private Binding bind(long layoutId, Schema stored) {
        int[] targets = new int[stored.names.length];
        boolean[] direct = new boolean[targets.length];
        boolean[] covered = new boolean[fields.length];
        for (int i = 0; i < targets.length; i++) {
            Integer index = indexByName.get(stored.names[i]);
            targets[i] = index == null ? -1 : index;
            if (index != null) {
                covered[index] = true;
                char kind = stored.kinds[i];
                direct[i] = kind != 'L' && Schema.kindOf(fields[index].getType()) == kind;
            }
        }
        int n = 0;
        int[] missing = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            if (!covered[i]) {
                missing[n++] = i;
            }
        }
        return new Binding(layoutId, stored.kinds, targets, direct, java.util.Arrays.copyOf(missing, n),
                new boolean[targets.length]);
    }

    /**
     * How a stored layout maps onto this class: for each stored field its kind, the index of the field to
     * set (-1 to skip) and whether it is the same primitive type (set without conversion); the fields
     * the layout lacks, which get their default; and the stored fields already reported as holding values
     * their field can no longer hold.
     */
    private record Binding(long layoutId, char[] kinds, int[] targets, boolean[] direct, int[] missing,
                           boolean[] warned) {
    }

    /** Sets a field, converting between primitive and boxed kinds; null means the type's default. */
    private static boolean assign(Object object, Field f, Object value) {
        Class<?> t = f.getType();
        try {
            if (value == null) {
                if (t.isPrimitive()) {
                    setDefault(object, f, t);
                } else {
                    f.set(object, null);
                }
                return true;
            }
            if (t.isPrimitive()) {
                if (t == boolean.class && value instanceof Boolean b) {
                    f.setBoolean(object, b);
                } else if (t == char.class && value instanceof Character c) {
                    f.setChar(object, c);
                } else if (value instanceof Number n && t != boolean.class && t != char.class) {
                    setNumber(object, f, t, n);
                } else {
                    return false;
                }
                return true;
            }
            if (t.isInstance(value)) {
                f.set(object, value);
                return true;
            }
            return false;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setDefault(Object object, Field f, Class<?> t) throws IllegalAccessException {
        if (t == boolean.class) {
            f.setBoolean(object, false);
        } else if (t == char.class) {
            f.setChar(object, '\0');
        } else {
            setNumber(object, f, t, 0);
        }
    }

    private static void setNumber(Object object, Field f, Class<?> t, Number n) throws IllegalAccessException {
        if (t == byte.class) f.setByte(object, n.byteValue());
        else if (t == short.class) f.setShort(object, n.shortValue());
        else if (t == int.class) f.setInt(object, n.intValue());
        else if (t == long.class) f.setLong(object, n.longValue());
        else if (t == float.class) f.setFloat(object, n.floatValue());
        else f.setDouble(object, n.doubleValue());
    }
}
