package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AsciiStrings} reads every string Kryo writes, in sequence, as Kryo's own reader does. */
class AsciiStringsTest {

    @Test
    void readsWhatKryoWritesLikeKryosReader() {
        List<String> values = new ArrayList<>(Arrays.asList(null, "", "a", "ab", "owner-12345", "\u007f~",
                "x".repeat(32), "y".repeat(33), "z".repeat(500), "h\u00e9llo", "\u65e5\u672c", "tab\there",
                "nul\u0000inside"));
        Output output = new Output(1024, -1);
        for (String v : values) {
            output.writeString(v);
        }
        byte[] record = output.toBytes();

        AsciiStrings strings = new AsciiStrings();
        Kryo kryo = new Kryo();
        Input fast = new Input(record);
        Input kryos = new Input(record);
        for (String v : values) {
            String read = strings.read(kryo, fast, String.class);
            assertEquals(v, read);
            assertEquals(kryos.readString(), read);
            assertEquals(kryos.position(), fast.position(), "after " + v);
        }
        assertEquals(record.length, fast.position());
    }
}
