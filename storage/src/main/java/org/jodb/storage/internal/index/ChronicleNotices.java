package org.jodb.storage.internal.index;

import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Keeps Chronicle's start-up advice that is wrong for jodb's users from reaching them.
 *
 * <p>Chronicle Core finds its ways of releasing a mapped buffer through {@code ServiceLoader}, which
 * instantiates every one it lists. One of them, when {@code jdk.internal.ref} is not exported to it, logs
 * through {@code java.util.logging} at start-up: <i>Make sure you have set the command line option
 * "--illegal-access=permit --add-exports java.base/jdk.internal.ref=ALL-UNNAMED"</i>. Chronicle then
 * releases buffers another way, so nothing is missing, and {@code --illegal-access} is gone since JDK 17:
 * a JVM started with it only warns that it ignores it. Chronicle has no property to turn the advice off,
 * so jodb filters that one message (and only it) out of that logger, unless the application put a filter
 * there itself. The export, where given, avoids the message altogether.
 */
public final class ChronicleNotices {
    /** The logger Chronicle's reflection-based cleaner writes its advice to. */
    static final String CLEANER_LOGGER =
            "net.openhft.chronicle.core.internal.cleaner.ReflectionBasedByteBufferCleanerService";
    /** What every message to drop contains. */
    static final String OBSOLETE_OPTION = "--illegal-access";
    /** Held here: java.util.logging keeps loggers only weakly, and a collected logger forgets its filter. */
    private static Logger cleanerLogger;

    private ChronicleNotices() {
    }

    /**
     * Installs the filter. Call before Chronicle loads (it logs from a static initialiser); calling again
     * does nothing.
     */
    public static synchronized void quiet() {
        if (cleanerLogger != null) {
            return;
        }
        cleanerLogger = Logger.getLogger(CLEANER_LOGGER);
        if (cleanerLogger.getFilter() == null) {
            cleanerLogger.setFilter(withoutObsoleteAdvice());
        }
    }

    /** Passes every record but the ones that advise {@link #OBSOLETE_OPTION}. */
    static Filter withoutObsoleteAdvice() {
        return record -> record.getMessage() == null || !record.getMessage().contains(OBSOLETE_OPTION);
    }
}
