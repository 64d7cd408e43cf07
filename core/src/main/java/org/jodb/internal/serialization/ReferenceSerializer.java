package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Writes a persistent object met inside another's state as its oid (its class is written before by Kryo),
 * and reads it back as the connection's instance for that oid (cached, or a new ghost).
 */
final class ReferenceSerializer extends Serializer<Object> {

    @Override
    public void write(Kryo kryo, Output output, Object object) {
        JodbKryo k = (JodbKryo) kryo;
        long oid = k.context.referenceOid(object);
        k.addRef(oid);
        output.writeVarLong(oid, true);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        long oid = input.readVarLong(true);
        JodbKryo k = (JodbKryo) kryo;
        if (k.lazyReferenceDepth == k.getDepth()) {
            return k.context.lazyReference(oid, type); // a value of a chunk's map (LazyMapValues)
        }
        return k.context.resolveReference(oid, type);
    }
}
