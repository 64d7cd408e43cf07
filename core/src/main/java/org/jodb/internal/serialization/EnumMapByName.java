package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Map;
import org.jodb.UnsupportedClassException;

/**
 * Writes an {@link EnumMap} as its key enum's class (a registry entry under its stable name, like every
 * class), the number of entries, then each key by name ({@link EnumByName}) and its value. Kryo's own map
 * serializer makes an EnumMap without a constructor, so its key type is missing and no entry can be put
 * back. One instance per Kryo instance; not thread-safe.
 */
final class EnumMapByName extends Serializer<EnumMap<?, ?>> {

    EnumMapByName() {
        super(false, false);
    }

    @Override
    public void write(Kryo kryo, Output output, EnumMap<?, ?> map) {
        Class<?> keyType = keyType(map);
        kryo.writeClass(output, keyType);
        EnumByName keys = names(kryo, keyType);
        output.writeVarInt(map.size(), true);
        for (Map.Entry<? extends Enum<?>, ?> e : map.entrySet()) {
            keys.write(kryo, output, e.getKey());
            kryo.writeClassAndObject(output, e.getValue());
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public EnumMap<?, ?> read(Kryo kryo, Input input, Class<? extends EnumMap<?, ?>> type) {
        Class keyType = kryo.readClass(input).getType();
        EnumMap map = new EnumMap(keyType);
        kryo.reference(map); // a value may refer back to the map
        EnumByName keys = names(kryo, keyType);
        int size = input.readVarInt(true);
        for (int i = 0; i < size; i++) {
            Enum key = keys.read(kryo, input, keyType);
            map.put(key, kryo.readClassAndObject(input));
        }
        return map;
    }

    private static EnumByName names(Kryo kryo, Class<?> keyType) {
        return (EnumByName) kryo.getSerializer(keyType);
    }

    /**
     * The map's key enum. EnumMap keeps it in a private field of {@code java.util}, which is closed to
     * reflection: a non-empty map tells it by its first key; an empty one by its Java serialized form,
     * which describes the key class.
     */
    private static Class<?> keyType(EnumMap<?, ?> map) {
        if (!map.isEmpty()) {
            return map.keySet().iterator().next().getDeclaringClass();
        }
        Class<?>[] found = new Class<?>[1];
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream()) {
            @Override
            protected void annotateClass(Class<?> c) {
                if (c.isEnum() && found[0] == null) {
                    found[0] = c; // called for each class the stream describes, the key type among them
                }
            }
        }) {
            out.writeObject(map);
        } catch (IOException | RuntimeException e) {
            throw noKeyType(e);
        }
        if (found[0] == null) {
            throw noKeyType(null);
        }
        return found[0];
    }

    private static UnsupportedClassException noKeyType(Exception cause) {
        return new UnsupportedClassException("jodb cannot tell the key type of an empty EnumMap"
                + (cause == null ? "" : " (" + cause + ")") + "; store a non-empty EnumMap or a HashMap", cause);
    }
}
