package org.jodb.postgres;

import java.sql.SQLException;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageUnavailableException;

/**
 * Turns the driver's exceptions into jodb's: a {@link StorageException} whose message says what jodb was doing,
 * what the server said (never a password: the driver's messages carry none, and URLs are shown redacted) and
 * what to do.
 */
final class Failures {
    private Failures() {
    }

    /** Whether {@code e} means the connection itself is gone or unusable (it must not go back to the pool). */
    static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P") || state.equals("53300");
    }

    /**
     * The failure of {@code doing} against storage {@code name}: a {@link StorageUnavailableException} (retryable)
     * when the connection was lost or refused, since every caller's operation then did nothing.
     */
    static StorageException of(String name, String doing, SQLException e) {
        if (connectionLost(e)) {
            return new StorageUnavailableException("storage " + name + " could not " + doing + ": " + e.getMessage()
                    + (e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")") + ". The connection to"
                    + " the server was lost or refused: check that the server runs and is reachable; jodb connects"
                    + " again on the next call, and TransactionManager.run retries.", e);
        }
        return new StorageException("storage " + name + " could not " + doing + ": " + e.getMessage()
                + (e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")") + ".", e);
    }
}
