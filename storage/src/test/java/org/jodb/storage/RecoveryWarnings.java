package org.jodb.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jodb.storage.internal.recovery.LogRecovery;

/**
 * Test support: collects the warnings recovery logs (a cut torn tail, FORMAT.md 8) instead of printing them, so
 * that tests can assert them and the build's output stays readable. Install before opening, {@link #close} after.
 */
public final class RecoveryWarnings implements AutoCloseable {

    /** Held strongly: java.util.logging keeps only weak references to its loggers. */
    private static final Logger LOGGER = Logger.getLogger(LogRecovery.class.getName());

    private final List<String> messages = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (messages) {
                messages.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public static RecoveryWarnings install() {
        RecoveryWarnings warnings = new RecoveryWarnings();
        LOGGER.addHandler(warnings.handler);
        LOGGER.setUseParentHandlers(false);
        return warnings;
    }

    /** The warnings logged since {@link #install} or the last {@link #clear}. */
    public List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    public void clear() {
        synchronized (messages) {
            messages.clear();
        }
    }

    @Override
    public void close() {
        LOGGER.removeHandler(handler);
        LOGGER.setUseParentHandlers(true);
    }
}
