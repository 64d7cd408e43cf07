package org.jodb.transaction;

/**
 * The transaction was used after an earlier operation of it failed: a commit, taking a savepoint, or
 * rolling back to one. That first failure was thrown as it was (its cause is this exception's
 * {@link #getCause() cause}); since then the transaction's status is
 * {@link TransactionStatus#COMMIT_FAILED} and its commit, savepoint, rollback and join throw this.
 *
 * <p>Cause: the changes of the transaction may be partly discarded, so it must not go on. Remedy: abort
 * the transaction (in implicit mode {@code begin()} also aborts it), then redo the work in a new one;
 * {@link TransactionManager#run(int, java.util.concurrent.Callable)} does this for retryable causes.
 */
public class TransactionFailedException extends TransactionException {
    /** With {@code message}, which names the problem and the remedy, and the {@code cause} it wraps. */
    public TransactionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
