package org.jodb.transaction;

/**
 * A failure that may not happen again if the same work is redone in a new transaction, e.g. a write
 * conflict with a concurrent transaction ({@code org.jodb.ConflictException} extends this). Retryability is
 * a type: {@link Transaction#isRetryable(Throwable)} is true for every subclass.
 *
 * <p>Remedy: abort the transaction and run the work again from the start;
 * {@link TransactionManager#run(int, java.util.concurrent.Callable)} does both.
 */
public class TransientException extends TransactionException {
    /** With {@code message}, which names the problem and the remedy. */
    public TransientException(String message) {
        super(message);
    }

    /** With {@code message}, which names the problem and the remedy, and the {@code cause} it wraps. */
    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }
}
