package org.jodb.cli;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

import org.jodb.internal.serialization.RecordDecoder;

/**
 * An object's state, read by {@link RecordDecoder}, as indented text: one field a line ({@code name = value}),
 * references as {@code -> oid N (class)}, strings quoted, collections and maps with their class, values written
 * through a field layout with their fields nested below. A value met twice in one record (Kryo keeps shared
 * values shared) is shown once and then named.
 */
final class StateText {
    private static final String STEP = "  ";
    private final StringBuilder sb = new StringBuilder();
    private final Map<Object, Boolean> shown = new IdentityHashMap<>();

    private StateText() {
    }

    static String of(RecordDecoder.StoredObject state) {
        StateText t = new StateText();
        t.sb.append(state.className).append('\n');
        t.fields(state, STEP);
        return t.sb.toString();
    }

    private void fields(RecordDecoder.StoredObject o, String indent) {
        shown.put(o, true);
        for (int i = 0; i < o.names.size(); i++) {
            sb.append(indent).append(o.names.get(i)).append(" = ");
            value(o.values.get(i), indent);
            sb.append('\n');
        }
        if (o.unread != null) {
            sb.append(indent).append("(not read: ").append(o.unreadReason).append("; the ").append(o.unread.length)
                    .append(" bytes from there on:)\n").append(Text.hex(o.unread, indent + STEP)).append('\n');
        }
    }

    private void value(Object v, String indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            sb.append(Text.quote(s));
        } else if (v instanceof Character c) {
            sb.append('\'').append(Text.quote(String.valueOf(c)), 1, Text.quote(String.valueOf(c)).length() - 1).append('\'');
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v).append(v instanceof Long ? "L" : v instanceof Float ? "f" : "");
        } else if (v instanceof RecordDecoder.Reference r) {
            sb.append("-> oid ").append(r.oid()).append(" (").append(r.className()).append(')');
        } else if (v instanceof RecordDecoder.EnumConstant e) {
            sb.append(e.enumClass()).append('.').append(e.name());
        } else if (v instanceof Enum<?> e) {
            sb.append(e.getDeclaringClass().getName()).append('.').append(e.name());
        } else if (shown.containsKey(v)) {
            sb.append("(the same ").append(typeName(v)).append(" as above)");
        } else if (v instanceof RecordDecoder.StoredObject o) {
            sb.append(o.className).append('\n');
            fields(o, indent + STEP);
            sb.setLength(sb.length() - 1); // the caller ends the line
        } else if (v instanceof byte[] bytes) {
            sb.append("byte[").append(bytes.length).append("]\n").append(Text.hex(bytes, indent + STEP));
        } else if (v.getClass().isArray()) {
            shown.put(v, true);
            sb.append(v.getClass().getComponentType().getName()).append('[').append(Array.getLength(v)).append(']');
            for (int i = 0; i < Array.getLength(v); i++) {
                Object element = Array.get(v, i);
                item(indent, () -> value(element, indent + STEP));
            }
        } else if (v instanceof Collection<?> c) {
            shown.put(v, true);
            sb.append(typeName(v)).append(" (").append(c.size()).append(c.size() == 1 ? " element)" : " elements)");
            for (Object e : c) {
                item(indent, () -> value(e, indent + STEP));
            }
        } else if (v instanceof Map<?, ?> m) {
            shown.put(v, true);
            sb.append(typeName(v)).append(" (").append(m.size()).append(m.size() == 1 ? " entry)" : " entries)");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                item(indent, () -> {
                    value(e.getKey(), indent + STEP);
                    sb.append(": ");
                    value(e.getValue(), indent + STEP);
                });
            }
        } else {
            sb.append(typeName(v)).append(' ').append(v);
        }
    }

    private void item(String indent, Runnable body) {
        sb.append('\n').append(indent).append(STEP).append("- ");
        body.run();
    }

    private static String typeName(Object v) {
        return v instanceof RecordDecoder.StoredObject o ? o.className : v.getClass().getName();
    }
}
