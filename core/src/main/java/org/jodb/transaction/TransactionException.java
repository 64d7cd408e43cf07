package org.jodb.transaction;

/**
 * The parent of every exception of the transaction package. All are unchecked.
 *
 * <p>Thrown as such only where a more specific subclass does not fit, e.g. when the work given to
 * {@link TransactionManager#run(int, java.util.concurrent.Callable)} threw a checked exception (the cause).
 * Remedy: see the subclass or the cause.
 */
public class TransactionException extends RuntimeException {
    /** With {@code message}, which names the problem and the remedy. */
    public TransactionException(String message) {
        super(message);
    }

    /** With {@code message}, which names the problem and the remedy, and the {@code cause} it wraps. */
    public TransactionException(String message, Throwable cause) {
        super(message, cause);
    }
}
