package org.jodb.transaction;

/**
 * A savepoint was asked of a transaction with a data manager that cannot take savepoints (or an
 * optimistic savepoint of one was rolled back). Remedy: use {@code savepoint(true)} when no rollback is
 * needed, or keep such data managers out of transactions that need savepoints.
 */
public class SavepointsUnsupportedException extends TransactionException {
    public SavepointsUnsupportedException(String message) {
        super(message);
    }
}
