package org.jodb.postgres;

import java.sql.SQLException;
import java.util.List;

/**
 * Keeps a URL's secrets out of the driver's exceptions. The driver may quote the URL, or a part of it it
 * misread, in a message of its own or of an exception it wraps ("No suitable driver found for ...", a host
 * name it could not resolve): such an exception is replaced by a copy whose messages, down the whole chain of
 * causes, show {@code ***} in place of each secret. The SQL state, the error code and the stack traces stay.
 */
final class Scrub {
    private Scrub() {
    }

    /** {@code e} itself when no message of its chain holds any of {@code secrets}; else its cleaned copy. */
    static SQLException of(SQLException e, List<String> secrets) {
        if (secrets.isEmpty() || !mentions(e, secrets)) {
            return e;
        }
        return (SQLException) copy(e, secrets);
    }

    private static boolean mentions(Throwable t, List<String> secrets) {
        for (Throwable at = t; at != null; at = at.getCause()) {
            String text = at.toString();
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    return true;
                }
            }
            for (Throwable suppressed : at.getSuppressed()) {
                if (mentions(suppressed, secrets)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable copy(Throwable t, List<String> secrets) {
        Throwable copy;
        if (t instanceof SQLException sql) {
            copy = new SQLException(hide(sql.getMessage(), secrets), sql.getSQLState(), sql.getErrorCode());
        } else {
            // the type of a cause is kept as text: a copy of an arbitrary type cannot be made
            copy = new Exception(t.getClass().getName() + ": " + hide(t.getMessage(), secrets));
        }
        copy.setStackTrace(t.getStackTrace());
        if (t.getCause() != null) {
            copy.initCause(copy(t.getCause(), secrets));
        }
        for (Throwable suppressed : t.getSuppressed()) {
            copy.addSuppressed(copy(suppressed, secrets));
        }
        return copy;
    }

    private static String hide(String message, List<String> secrets) {
        if (message == null) {
            return null;
        }
        String hidden = message;
        for (String secret : secrets) {
            hidden = hidden.replace(secret, "***");
        }
        return hidden;
    }
}
