package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.sql.Timestamp;

/**
 * Stores a {@code java.sql.Timestamp} with its nanoseconds. Kryo's default for it, the serializer of its
 * superclass {@code java.util.Date}, keeps milliseconds only: {@code 12:00:00.123456789} loaded as
 * {@code 12:00:00.123}. Records written that way hold one variable-length long (the time); this one writes
 * a marker no such record starts with ({@code Long.MIN_VALUE}, a time 292 million years BC), then the time
 * and the nanoseconds, so both kinds of record load. Registered only when the {@code java.sql} module is
 * present. Stateless.
 */
final class TimestampWithNanos extends Serializer<Timestamp> {
    private static final long MARK = Long.MIN_VALUE;

    /** Registers this serializer with {@code kryo} if the JVM has {@code java.sql}. */
    static void registerIfPresent(Kryo kryo) {
        if (ModuleLayer.boot().findModule("java.sql").isPresent()) {
            kryo.addDefaultSerializer(Timestamp.class, new TimestampWithNanos());
        }
    }

    @Override
    public void write(Kryo kryo, Output output, Timestamp timestamp) {
        output.writeVarLong(MARK, true);
        output.writeVarLong(timestamp.getTime(), true);
        output.writeVarInt(timestamp.getNanos(), true);
    }

    @Override
    public Timestamp read(Kryo kryo, Input input, Class<? extends Timestamp> type) {
        long first = input.readVarLong(true);
        if (first != MARK) {
            return create(kryo, type, first); // written with milliseconds only
        }
        Timestamp timestamp = create(kryo, type, input.readVarLong(true));
        timestamp.setNanos(input.readVarInt(true));
        return timestamp;
    }

    private static Timestamp create(Kryo kryo, Class<? extends Timestamp> type, long time) {
        if (type == Timestamp.class) {
            return new Timestamp(time);
        }
        Timestamp timestamp = kryo.newInstance(type);
        timestamp.setTime(time);
        return timestamp;
    }
}
