package org.jodb.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.function.LongSupplier;

/**
 * A progress bar on one line of standard error, with the rate and the time left, for long work (reading a
 * large log). Shown only when the output is a terminal: a script or a pipe gets nothing. Redrawn at most ten
 * times a second.
 */
final class Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    /** Shows nothing. */
    static final Progress NONE = new Progress(null, System::nanoTime);

    private final PrintWriter out;
    private final LongSupplier nanos;
    private String label;
    private String unit;
    private long total;
    private long started;
    private long lastDrawn;
    private boolean drawn;

    Progress(PrintWriter out, LongSupplier nanos) {
        this.out = out;
        this.nanos = nanos;
    }

    /** A bar on {@code err} when the JVM's output is a terminal, else {@link #NONE}. */
    static Progress onTerminal(PrintWriter err) {
        return isTerminal() ? new Progress(err, System::nanoTime) : NONE;
    }

    /**
     * Whether standard output is a terminal. Before JDK 22 {@code System.console()} is null unless it is; from
     * JDK 22 on it may be non-null anyway and {@code Console.isTerminal()} says (looked up by reflection, as
     * this code is compiled for JDK 17).
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException beforeJdk22) {
            return true;
        }
    }

    void begin(String label, long total, String unit) {
        this.label = label;
        this.total = Math.max(1, total);
        this.unit = unit;
        this.started = nanos.getAsLong();
        this.lastDrawn = started;
    }

    void at(long done) {
        at((double) done / total, done);
    }

    /**
     * Redraws the bar (at most ten times a second) at {@code fraction} of the work done, with {@code done} units
     * done so far: for work whose share done is known another way than by counting units.
     */
    void at(double fraction, long done) {
        if (out == null) {
            return;
        }
        long now = nanos.getAsLong();
        if (now - lastDrawn < REDRAW_NANOS) {
            return;
        }
        lastDrawn = now;
        out.print("\r" + line(fraction, done, now - started));
        out.flush();
        drawn = true;
    }

    /** The bar's text after {@code elapsedNanos} with {@code done} of the total done. */
    String line(long done, long elapsedNanos) {
        return line((double) done / total, done, elapsedNanos);
    }

    /**
     * The bar's text after {@code elapsedNanos} with {@code fraction} of the work and {@code done} units done:
     * the rate is in units, the time left assumes the rest goes as fast as what was done.
     */
    String line(double fraction, long done, long elapsedNanos) {
        fraction = Math.min(1.0, Math.max(0.0, fraction));
        int filled = (int) (fraction * WIDTH);
        double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
        double rate = done / seconds;
        long left = fraction <= 0 || rate <= 0 ? -1 : Math.round(seconds * (1 - fraction) / fraction);
        return String.format("%s [%s%s] %3d%% %s/s, %s left ", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                (int) (fraction * 100), amount(rate), left < 0 ? "?" : left / 60 + "m" + String.format("%02d", left % 60) + "s");
    }

    private String amount(double rate) {
        if ("bytes".equals(unit)) {
            return rate >= 1 << 20 ? String.format("%.1f MiB", rate / (1 << 20)) : String.format("%.0f KiB", rate / 1024);
        }
        return String.format("%.0f %s", rate, unit);
    }

    void done() {
        if (out != null && drawn) {
            out.print("\r" + " ".repeat(label.length() + WIDTH + 40) + "\r");
            out.flush();
            drawn = false;
        }
    }
}
