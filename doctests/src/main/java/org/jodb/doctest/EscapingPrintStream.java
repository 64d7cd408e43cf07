package org.jodb.doctest;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;

/**
 * A print stream in a given charset that writes a character the charset cannot encode as a Java escape
 * ({@code \u00e9}) instead of {@code ?}. The runner's reports quote scenarios, which are UTF-8; on a
 * console or CI log whose charset is ASCII (a container without a locale, say), a report that printed
 * {@code "caf?"} as expected and as actual would hide the very difference it reports.
 */
final class EscapingPrintStream extends PrintStream {

    private final CharsetEncoder encoder;

    EscapingPrintStream(OutputStream out, Charset charset) {
        super(out, true, charset);
        this.encoder = charset.newEncoder();
    }

    /** {@code println(String)} of a subclass prints through this method too. */
    @Override
    public synchronized void print(String text) {
        super.print(escape(text));
    }

    synchronized String escape(String text) {
        if (text == null || encoder.canEncode(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(codePoint -> {
            String character = new String(Character.toChars(codePoint));
            if (encoder.canEncode(character)) {
                out.append(character);
            } else {
                for (char unit : character.toCharArray()) {
                    out.append(String.format("\\u%04x", (int) unit));
                }
            }
        });
        return out.toString();
    }

    /** The charset the JVM writes standard output in (JDK 17 has no {@code PrintStream.charset()}). */
    static Charset stdoutCharset() {
        String console = System.getProperty("sun.stdout.encoding");
        try {
            return console != null ? Charset.forName(console) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
