package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Writes an unregistered class as the id of its registry entry instead of its name, so each record
 * names a class in a byte or three and the names live once in the database.
 *
 * <p>Reading keeps the registrations of recently read ids in a small direct-mapped table, emptied when
 * {@link ClassNames#epoch()} moves: nearly every field value names its class this way, and the codec's
 * shared table costs a boxed key and a concurrent lookup. JShell classes are never kept (any snippet may
 * redefine them), as in {@link ObjectRecordCodec#classOf}.
 */
final class RegistryClassResolver extends DefaultClassResolver {
    private static final int RECENT = 64;

    private final long[] recentIds = new long[RECENT];
    private final Registration[] recentRegistrations = new Registration[RECENT];
    private int recentEpoch = ClassNames.epoch();

    @Override
    protected void writeName(Output output, Class type, Registration registration) {
        JodbKryo k = (JodbKryo) kryo;
        output.writeVarInt(NAME + 2, true);
        output.writeVarLong(k.classEntryId(type), true);
    }

    @Override
    protected Registration readName(Input input) {
        JodbKryo k = (JodbKryo) kryo;
        long id = input.readVarLong(true);
        int epoch = ClassNames.epoch();
        if (epoch != recentEpoch) {
            java.util.Arrays.fill(recentRegistrations, null);
            recentEpoch = epoch;
        }
        int slot = (int) (id ^ (id >>> 32)) & (RECENT - 1);
        Registration r = recentRegistrations[slot];
        if (r != null && recentIds[slot] == id) {
            return r;
        }
        Class<?> type = k.codec().classOf(id, k.context);
        r = kryo.getRegistration(type);
        if (!k.codec().isRedefinable(type)) {
            recentIds[slot] = id;
            recentRegistrations[slot] = r;
        }
        return r;
    }
}
