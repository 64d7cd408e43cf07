package org.jodb.spi;

/**
 * The storage could not be reached for one operation, and that operation did nothing: a server that is down or
 * restarting, a connection lost before anything was committed. Retrying later may succeed.
 *
 * <p>Thrown by a storage that talks to a server, from a load, a poll or a vote (never from a finish whose
 * outcome is not settled: see {@link StorageTransaction#finish()}). Core reports it as retryable, so
 * {@code TransactionManager.run} runs the work again after its pause, in a new transaction, when a connection of
 * the database took part in the transaction that failed. Remedy otherwise: check that the server runs and is
 * reachable, and try again.
 */
public class StorageUnavailableException extends StorageException {
    /** With {@code message}, which says what could not be done and why. */
    public StorageUnavailableException(String message) {
        super(message);
    }

    /** With {@code message}, which says what could not be done and why, and the {@code cause} it wraps. */
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
