package org.jodb.internal.serialization;

import java.lang.reflect.Field;
import java.util.List;

/**
 * The field layout of a class as written in a record: the class's stable name, then each field's name
 * and kind. Stored once per layout as a registry entry {@code S:<class>|<name>:<kind>|...}; a record
 * holds only the entry's id and the values. A record keeps its layout when the class changes, which is
 * how a record written before a field was added or removed still loads.
 *
 * <p>Kinds: {@code Z B C S I J F D} for primitives (JVM descriptors), {@code L} for any reference.
 */
final class Schema {
    static final String PREFIX = "S:";

    final String className;
    final String[] names;
    final char[] kinds;

    private Schema(String className, String[] names, char[] kinds) {
        this.className = className;
        this.names = names;
        this.kinds = kinds;
    }

    static Schema of(String className, List<Field> fields, List<String> names) {
        char[] kinds = new char[fields.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = kindOf(fields.get(i).getType());
        }
        return new Schema(className, names.toArray(new String[0]), kinds);
    }

    static char kindOf(Class<?> type) {
        if (!type.isPrimitive()) {
            return 'L';
        }
        if (type == boolean.class) return 'Z';
        if (type == byte.class) return 'B';
        if (type == char.class) return 'C';
        if (type == short.class) return 'S';
        if (type == int.class) return 'I';
        if (type == long.class) return 'J';
        if (type == float.class) return 'F';
        return 'D';
    }

    String encode() {
        StringBuilder sb = new StringBuilder(PREFIX).append(className);
        for (int i = 0; i < names.length; i++) {
            sb.append('|').append(names[i]).append(':').append(kinds[i]);
        }
        return sb.toString();
    }

    static Schema decode(String entry) {
        if (!entry.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a field layout entry: " + entry);
        }
        String[] parts = entry.substring(PREFIX.length()).split("\\|", -1);
        String[] names = new String[parts.length - 1];
        char[] kinds = new char[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].lastIndexOf(':');
            names[i - 1] = parts[i].substring(0, colon);
            kinds[i - 1] = parts[i].charAt(colon + 1);
        }
        return new Schema(parts[0], names, kinds);
    }
}
