package org.jodb.spi;

/**
 * {@link StorageTransaction#finish()} failed, and the storage has settled that the transaction is not committed
 * and never will be: none of its records is, or will become, visible to any reader of any process. Thrown only
 * once the storage knows it (a storage that lost its connection in the middle of a commit finds out first, for
 * example by looking for an id it wrote with the transaction).
 *
 * <p>Cause: the storage could not complete the commit after a successful vote (its server went away, it rolled
 * the transaction back). Remedy: the transaction's changes are gone; run the work again in a new transaction
 * ({@code TransactionManager.run} does so: core reports this failure as retryable).
 */
public class CommitNotDoneException extends StorageException {
    /** With {@code message}, which says why the commit did not complete. */
    public CommitNotDoneException(String message) {
        super(message);
    }

    /** With {@code message}, which says why the commit did not complete, and the {@code cause} it wraps. */
    public CommitNotDoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
