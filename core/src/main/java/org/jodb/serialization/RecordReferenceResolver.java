package org.jodb.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.ReferenceResolver;
import com.esotericsoftware.kryo.util.Util;
import java.util.ArrayList;
import java.util.IdentityHashMap;

/**
 * Kryo's references for one record at a time. Unlike Kryo's {@code MapReferenceResolver}, whose reset
 * clears a whole hash table (thousands of slots once one large record was written), resetting this one
 * costs in proportion to what the last record used: savepoints write many small records in a row.
 */
final class RecordReferenceResolver implements ReferenceResolver {
    /** Tables larger than this are replaced on reset rather than emptied one object at a time. */
    private static final int SMALL = 64;
    /** Read tables larger than this are dropped on reset rather than kept for the next record. */
    private static final int LARGE = 16_384;

    private IdentityHashMap<Object, Integer> written = new IdentityHashMap<>();
    private final ArrayList<Object> writtenOrder = new ArrayList<>();
    private ArrayList<Object> read = new ArrayList<>();

    @Override
    public void setKryo(Kryo kryo) {
    }

    @Override
    public int getWrittenId(Object object) {
        Integer id = written.get(object);
        return id == null ? -1 : id;
    }

    @Override
    public int addWrittenObject(Object object) {
        int id = writtenOrder.size();
        written.put(object, id);
        writtenOrder.add(object);
        return id;
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
        return read.get(id);
    }

    @Override
    public void reset() {
        if (writtenOrder.size() > SMALL) {
            written = new IdentityHashMap<>();
        } else {
            for (Object o : writtenOrder) {
                written.remove(o);
            }
        }
        writtenOrder.clear();
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
