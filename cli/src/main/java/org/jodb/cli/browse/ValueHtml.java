package org.jodb.cli.browse;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

import org.jodb.internal.serialization.RecordDecoder;

/**
 * A stored state, as read by {@link RecordDecoder}, in HTML: the fields in a table (name, value), references
 * as links to the object they name at the page's snapshot, strings quoted, collections and maps as lists with
 * their class, values written through a field layout as nested tables. A value met twice in one record (Kryo
 * keeps shared values shared) is shown once and then named, which also ends a cycle. All text is escaped.
 */
final class ValueHtml {
    private final Links links;
    private final StringBuilder sb = new StringBuilder();
    private final Map<Object, Boolean> shown = new IdentityHashMap<>();

    private ValueHtml(Links links) {
        this.links = links;
    }

    /** An object's fields as a table, with what could not be read after them. */
    static String fields(RecordDecoder.StoredObject state, Links links) {
        ValueHtml h = new ValueHtml(links);
        h.table(state);
        return h.sb.toString();
    }

    /** One value, on its own (for a diff's cells). */
    static String value(Object value, Links links) {
        ValueHtml h = new ValueHtml(links);
        h.value(value);
        return h.sb.toString();
    }

    private void table(RecordDecoder.StoredObject o) {
        shown.put(o, true);
        sb.append("<table class=\"fields\">");
        if (o.names.isEmpty()) {
            sb.append("<tr><td colspan=\"2\" class=\"none\">(no stored fields)</td></tr>");
        }
        for (int i = 0; i < o.names.size(); i++) {
            sb.append("<tr><th class=\"field\">").append(Html.text(o.names.get(i))).append("</th><td class=\"value\">");
            value(o.values.get(i));
            sb.append("</td></tr>");
        }
        sb.append("</table>");
        if (o.unread != null) {
            sb.append("<p class=\"unread\">Not read: ").append(Html.text(o.unreadReason)).append(". The ")
                    .append(o.unread.length).append(" bytes from there on:</p><pre>").append(Html.hex(o.unread))
                    .append("</pre>");
        }
    }

    private void value(Object v) {
        if (v == null) {
            sb.append("<span class=\"null\">null</span>");
        } else if (v instanceof String s) {
            sb.append("<span class=\"string\">").append(Html.quoted(s)).append("</span>");
        } else if (v instanceof Character c) {
            String q = Html.quoted(String.valueOf(c));
            sb.append('\'').append(q, "&quot;".length(), q.length() - "&quot;".length()).append('\'');
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(Html.text(v.toString())).append(v instanceof Long ? "L" : v instanceof Float ? "f" : "");
        } else if (v instanceof RecordDecoder.Reference r) {
            sb.append("<a class=\"ref\" href=\"").append(Html.attr(links.object(r.oid()))).append("\">oid ")
                    .append(r.oid()).append("</a> <span class=\"class\">").append(Html.text(r.className()))
                    .append("</span>");
        } else if (v instanceof RecordDecoder.EnumConstant e) {
            sb.append(Html.text(e.enumClass() + "." + e.name()));
        } else if (v instanceof Enum<?> e) {
            sb.append(Html.text(e.getDeclaringClass().getName() + "." + e.name()));
        } else if (shown.containsKey(v)) {
            sb.append("(the same ").append(Html.text(typeName(v))).append(" as above)");
        } else if (v instanceof RecordDecoder.StoredObject o) {
            sb.append("<span class=\"class\">").append(Html.text(o.className)).append("</span>");
            table(o);
        } else if (v instanceof byte[] bytes) {
            sb.append("byte[").append(bytes.length).append("]<pre>").append(Html.hex(bytes)).append("</pre>");
        } else if (v.getClass().isArray()) {
            shown.put(v, true);
            int n = Array.getLength(v);
            sb.append(Html.text(v.getClass().getComponentType().getName())).append('[').append(n).append(']');
            list(n, i -> value(Array.get(v, i)));
        } else if (v instanceof Collection<?> c) {
            shown.put(v, true);
            sb.append(Html.text(typeName(v))).append(" (").append(c.size()).append(c.size() == 1 ? " element)" : " elements)");
            Object[] elements = c.toArray();
            list(elements.length, i -> value(elements[i]));
        } else if (v instanceof Map<?, ?> m) {
            shown.put(v, true);
            sb.append(Html.text(typeName(v))).append(" (").append(m.size()).append(m.size() == 1 ? " entry)" : " entries)");
            Object[] entries = m.entrySet().toArray();
            list(entries.length, i -> {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) entries[i];
                value(e.getKey());
                sb.append(" &rarr; ");
                value(e.getValue());
            });
        } else {
            sb.append("<span class=\"class\">").append(Html.text(typeName(v))).append("</span> ")
                    .append(Html.text(v.toString()));
        }
    }

    private void list(int n, java.util.function.IntConsumer item) {
        if (n == 0) {
            return;
        }
        sb.append("<ul class=\"items\">");
        for (int i = 0; i < n; i++) {
            sb.append("<li>");
            item.accept(i);
            sb.append("</li>");
        }
        sb.append("</ul>");
    }

    private static String typeName(Object v) {
        return v instanceof RecordDecoder.StoredObject o ? o.className : v.getClass().getName();
    }
}
