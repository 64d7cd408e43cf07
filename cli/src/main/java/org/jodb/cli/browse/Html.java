package org.jodb.cli.browse;

import org.jodb.cli.Text;

/**
 * Text into HTML: every value a page shows passes through {@link #text} (or {@link #attr} inside an attribute),
 * so a stored string holding markup is shown as the characters it holds and never parsed as HTML.
 */
final class Html {
    private Html() {
    }

    /** {@code s} escaped for an element's content or a quoted attribute's value. */
    static String text(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The same escaping, named for where it is used: inside a double-quoted attribute. */
    static String attr(String s) {
        return text(s);
    }

    /**
     * A string as a quoted literal, with quotes, backslashes and control characters written as escapes (so a
     * newline or a NUL in a stored string stays visible), then escaped as HTML.
     */
    static String quoted(String s) {
        return text(Text.quote(s));
    }

    /** Bytes in hex, 16 a line with their offset, escaped (it is digits only, but every page text is). */
    static String hex(byte[] bytes) {
        return text(Text.hex(bytes, ""));
    }
}
