package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jodb.UnsupportedClassException;

/**
 * Writes an enum constant as its name, not its ordinal (Kryo's default): reordering, inserting or
 * removing other constants of a stored enum keeps old records right, where ordinals would silently load
 * another constant. A stored name that the enum no longer declares fails the load with a message naming
 * the enum and the constant. One instance per Kryo instance and enum; not thread-safe (like Kryo).
 */
final class EnumByName extends Serializer<Enum<?>> {
    private final Class<?> enumType;
    private final Map<String, Enum<?>> byName = new HashMap<>();

    EnumByName(Class<?> type) {
        super(false, true);
        // a constant with a body is an instance of an anonymous subclass of its enum
        this.enumType = type.isEnum() ? type : type.getSuperclass();
        for (Object constant : enumType.getEnumConstants()) {
            Enum<?> e = (Enum<?>) constant;
            byName.put(e.name(), e);
        }
    }

    @Override
    public void write(Kryo kryo, Output output, Enum<?> constant) {
        output.writeString(constant.name());
    }

    @Override
    public Enum<?> read(Kryo kryo, Input input, Class<? extends Enum<?>> type) {
        String name = input.readString();
        Enum<?> constant = byName.get(name);
        if (constant == null) {
            throw new UnsupportedClassException("a stored record holds constant " + name + " of enum "
                    + ClassNames.stableName(enumType) + ", which no longer declares it (its constants are "
                    + Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                            .collect(Collectors.joining(", ")) + "); declare the constant " + name
                    + " again (it may be @Deprecated) so that old records load");
        }
        return constant;
    }
}
