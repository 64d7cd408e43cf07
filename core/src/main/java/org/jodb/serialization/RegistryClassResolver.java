package org.jodb.serialization;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Writes an unregistered class as the id of its registry entry instead of its name, so each record
 * names a class in a byte or three and the names live once in the database.
 */
final class RegistryClassResolver extends DefaultClassResolver {

    @Override
    protected void writeName(Output output, Class type, Registration registration) {
        JodbKryo k = (JodbKryo) kryo;
        output.writeVarInt(NAME + 2, true);
        output.writeVarLong(k.entryId(k.codec().classEntry(type)), true);
    }

    @Override
    protected Registration readName(Input input) {
        JodbKryo k = (JodbKryo) kryo;
        long id = input.readVarLong(true);
        return kryo.getRegistration(k.codec().classOf(id, k.context));
    }
}
