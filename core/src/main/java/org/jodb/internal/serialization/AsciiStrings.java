package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;
import java.nio.charset.StandardCharsets;

/**
 * Kryo's {@code String} format, read faster: a short ASCII string (Kryo writes those as their bytes, the
 * last one marked with its high bit) becomes a Latin-1 string by one copy of its bytes, where Kryo's
 * reader widens each byte into a char buffer and narrows it again. Writing is Kryo's, and every other
 * form (null, empty, UTF-8, a string read from a stream) is read by Kryo, so records are unchanged.
 * One instance per Kryo instance: not thread-safe.
 */
final class AsciiStrings extends ImmutableSerializer<String> {
    private byte[] scratch = new byte[64];

    AsciiStrings() {
        setAcceptsNull(true);
    }

    static void register(Kryo kryo) {
        kryo.getRegistration(String.class).setSerializer(new AsciiStrings());
    }

    @Override
    public void write(Kryo kryo, Output output, String value) {
        output.writeString(value);
    }

    @Override
    public String read(Kryo kryo, Input input, Class<? extends String> type) {
        if (input.getClass() == Input.class && input.getInputStream() == null) {
            byte[] buffer = input.getBuffer();
            int start = input.position();
            int limit = input.limit();
            if (start < limit && (buffer[start] & 0x80) == 0) { // no flag bit: ASCII, up to a marked byte
                int last = start + 1;
                while (last < limit && (buffer[last] & 0x80) == 0) {
                    last++;
                }
                if (last < limit) {
                    int length = last - start + 1;
                    byte[] bytes = scratch.length >= length ? scratch : (scratch = new byte[length]);
                    System.arraycopy(buffer, start, bytes, 0, length);
                    bytes[length - 1] &= 0x7F;
                    input.setPosition(last + 1);
                    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
                }
            }
        }
        return input.readString();
    }
}
