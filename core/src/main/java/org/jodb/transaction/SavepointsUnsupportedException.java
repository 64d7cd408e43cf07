package org.jodb.transaction;

/**
 * A savepoint was asked of a transaction with a data manager that cannot take savepoints (its
 * {@link DataManager#savepoint()} is not implemented, returns null or throws this exception), or an optimistic savepoint ({@code savepoint(true)})
 * of such a transaction was rolled back. Like every failure while taking or rolling back a savepoint, this
 * leaves the transaction failed: it must be aborted.
 *
 * <p>Remedy: use {@code savepoint(true)} when no rollback is needed, or keep such data managers out of
 * transactions that need savepoints.
 */
public class SavepointsUnsupportedException extends TransactionException {
    /** With {@code message}, which names the problem and the remedy. */
    public SavepointsUnsupportedException(String message) {
        super(message);
    }
}
