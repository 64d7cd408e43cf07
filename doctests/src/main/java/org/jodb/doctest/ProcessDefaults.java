package org.jodb.doctest;

import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;

/**
 * The JVM-wide defaults a scenario can change and a later file would silently inherit: the default
 * locales, time zone, {@code System.in}, and the values of the system properties. Taken when a file
 * starts and put back when it ends, so that a file's output does not depend on which file ran before
 * it ({@code String.format("%.1f", 1.5)} shows {@code 1,5} after a {@code Locale.setDefault(GERMANY)}).
 *
 * <p>A system property that did not exist when the file started is left in place: libraries set some
 * the first time they load (JNA's {@code jna.loaded}, for one) and rely on them afterwards.
 */
final class ProcessDefaults {

    private final Locale locale = Locale.getDefault();
    private final Locale display = Locale.getDefault(Locale.Category.DISPLAY);
    private final Locale format = Locale.getDefault(Locale.Category.FORMAT);
    private final TimeZone timeZone = TimeZone.getDefault();
    private final InputStream in = System.in;
    private final Properties properties = (Properties) System.getProperties().clone();

    /** Puts back what changed since this object was made. */
    void restore() {
        Locale.setDefault(locale);
        Locale.setDefault(Locale.Category.DISPLAY, display);
        Locale.setDefault(Locale.Category.FORMAT, format);
        TimeZone.setDefault(timeZone);
        System.setIn(in);
        Properties now = System.getProperties();
        for (Map.Entry<Object, Object> entry : properties.entrySet()) {
            if (!entry.getValue().equals(now.get(entry.getKey()))) {
                now.put(entry.getKey(), entry.getValue());
            }
        }
    }
}
