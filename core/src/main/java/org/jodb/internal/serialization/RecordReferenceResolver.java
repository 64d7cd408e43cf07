package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.ReferenceResolver;
import com.esotericsoftware.kryo.util.Util;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Kryo's references for one record at a time. Unlike Kryo's {@code MapReferenceResolver}, whose reset
 * clears a whole hash table (thousands of slots once one large record was written), resetting this one
 * costs in proportion to what the last record used: savepoints write many small records in a row.
 *
 * <p>The written objects live in an open-addressing identity table of unboxed ids that is kept from
 * record to record (up to {@link #LARGE} slots): a map chunk writes a thousand keys and references per
 * record, and an {@code IdentityHashMap} rebuilt for each of them grew, and boxed every id, each time.
 */
final class RecordReferenceResolver implements ReferenceResolver {
    /** The objects a new write table has room for. */
    private static final int SMALL = 64;
    /** Tables larger than this are dropped on reset rather than kept for the next record. */
    private static final int LARGE = 16_384;

    /** Open addressing, linear probing; a slot is free when its key is null. Length a power of two. */
    private Object[] keys = new Object[SMALL * 2];
    /** The id of the object in the same slot of {@link #keys}. */
    private int[] ids = new int[SMALL * 2];
    /** The slot of each written object, in id order: reset empties exactly these. */
    private int[] slots = new int[SMALL];
    /** The number of objects written in the current record (the next id). */
    private int count;
    private ArrayList<Object> read = new ArrayList<>();
    /** The Kryo this resolver serves, when it is the codec's (which may read lazy map values); else null. */
    private JodbKryo kryo;

    @Override
    public void setKryo(Kryo kryo) {
        this.kryo = kryo instanceof JodbKryo k ? k : null;
    }

    @Override
    public int getWrittenId(Object object) {
        Object[] k = keys;
        int mask = k.length - 1;
        for (int i = slotOf(object, mask); ; i = (i + 1) & mask) {
            Object o = k[i];
            if (o == object) {
                return ids[i];
            }
            if (o == null) {
                return -1;
            }
        }
    }

    @Override
    public int addWrittenObject(Object object) {
        if ((count + 1) * 2 > keys.length) {
            grow();
        }
        int id = count++;
        if (id == slots.length) {
            slots = Arrays.copyOf(slots, id * 2);
        }
        slots[id] = insert(object, id);
        return id;
    }

    /** Puts {@code object} (not in the table) with {@code id}; returns its slot. */
    private int insert(Object object, int id) {
        Object[] k = keys;
        int mask = k.length - 1;
        int i = slotOf(object, mask);
        while (k[i] != null) {
            i = (i + 1) & mask;
        }
        k[i] = object;
        ids[i] = id;
        return i;
    }

    /** Doubles the table, placing the objects of the current record again. */
    private void grow() {
        Object[] oldKeys = keys;
        keys = new Object[oldKeys.length * 2];
        ids = new int[keys.length];
        for (int id = 0; id < count; id++) {
            slots[id] = insert(oldKeys[slots[id]], id);
        }
    }

    private static int slotOf(Object object, int mask) {
        int h = System.identityHashCode(object) * 0x9E3779B9; // spreads the low bits that the mask keeps
        return (h ^ (h >>> 16)) & mask;
    }

    @Override
    public int nextReadId(Class type) {
        int id = read.size();
        read.add(null);
        return id;
    }

    @Override
    public void setReadObject(int id, Object object) {
        read.set(id, object);
    }

    @Override
    public Object getReadObject(Class type, int id) {
        Object object = read.get(id);
        if (object instanceof LazyReference r) {
            // read first as a lazy map value, met again (a key, another value, inside a value): an instance
            object = kryo.context.resolveReference(r.oid(), r.type());
            read.set(id, object);
        }
        return object;
    }

    @Override
    public void reset() {
        if (keys.length > LARGE) {
            keys = new Object[SMALL * 2]; // do not keep a huge table for one huge record
            ids = new int[SMALL * 2];
            slots = new int[SMALL];
        } else {
            Object[] k = keys;
            for (int id = 0; id < count; id++) {
                k[slots[id]] = null; // releases the objects too: the table holds nothing between records
            }
        }
        count = 0;
        if (read.size() > LARGE) {
            read = new ArrayList<>(); // do not keep a huge table for one huge record
        } else {
            read.clear(); // keep the capacity: records of a few thousand values (a map chunk) come in runs
        }
    }

    @Override
    public boolean useReferences(Class type) {
        return !Util.isWrapperClass(type);
    }
}
