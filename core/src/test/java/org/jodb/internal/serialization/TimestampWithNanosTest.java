package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import java.sql.Timestamp;
import org.junit.jupiter.api.Test;

/**
 * A {@code java.sql.Timestamp} loads with the nanoseconds it was stored with (its superclass
 * {@code Date}'s serializer would keep milliseconds only: {@code .123456789} would come back {@code .123}).
 */
class TimestampWithNanosTest {

    @Test
    void aTimestampKeepsItsNanoseconds() {
        Timestamp stored = Timestamp.valueOf("2026-11-21 12:00:00.123456789");
        Timestamp loaded = (Timestamp) Holder.roundTrip(stored);
        assertEquals(stored, loaded);
        assertEquals(123456789, loaded.getNanos());
    }

    /** Records written before, by the {@code Date} serializer, still load (to the millisecond they held). */
    @Test
    void aTimestampWrittenWithMillisecondsOnlyStillLoads() {
        Timestamp old = new Timestamp(1_700_000_000_123L);
        Kryo kryo = new Kryo();
        Output out = new Output(64);
        new DefaultSerializers.DateSerializer().write(kryo, out, old);
        out.writeString("next field");
        Input in = new Input(out.toBytes());
        Timestamp loaded = new TimestampWithNanos().read(kryo, in, Timestamp.class);
        assertEquals(old, loaded);
        assertEquals("next field", in.readString());
    }
}
