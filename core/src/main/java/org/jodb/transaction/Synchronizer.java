package org.jodb.transaction;

/**
 * Told about the transaction boundaries of a {@link TransactionManager} it is
 * {@linkplain TransactionManager#registerSynchronizer registered} with. The manager holds it weakly: a
 * forgotten synchronizer, e.g. an unclosed connection with its whole object cache, must not be pinned.
 * A jodb {@code Connection} is one: it refreshes its snapshot at these boundaries.
 *
 * <p>All calls come from the thread that owns the transaction.
 */
public interface Synchronizer {
    /**
     * A transaction was begun explicitly with {@code begin()} (not by an implicit {@code get()}), or this
     * synchronizer was registered while {@code txn} was active. The manager's {@code get()} already
     * returns {@code txn}. A failure propagates out of {@code begin()}; the transaction stays begun.
     */
    default void newTransaction(Transaction txn) {
    }

    /**
     * Commit or abort of {@code txn} is starting: on commit after the before-commit hooks and before any
     * data manager is called (a failure here propagates out of {@code commit()}, which then has done
     * nothing); on abort before the data managers are aborted (a failure is rethrown once abort is over).
     */
    default void beforeCompletion(Transaction txn) {
    }

    /**
     * Commit (successful or not) or abort of {@code txn} has ended. After a successful commit it runs
     * before the after-commit hooks; after an abort the manager no longer returns {@code txn}. Should not
     * fail: a failure after a successful commit is logged and ignored, since the commit did happen; after a
     * failed commit it is logged and attached (suppressed) to the commit's failure; after an abort it is
     * thrown once abort is over.
     */
    default void afterCompletion(Transaction txn) {
    }

    /**
     * An attempt of {@link TransactionManager#run} or {@link TransactionManager#attempts} failed with {@code failure}
     * and its transaction {@code txn} was aborted. {@code retryable} says whether the failure was one to retry
     * (a {@link TransientException} such as a conflict, or one a joined data manager's
     * {@link DataManager#shouldRetry} accepts); {@code retrying} whether another attempt follows (false when
     * no attempt was left: the work gives up). Meant for statistics; a failure here is logged and ignored.
     */
    default void attemptFailed(Transaction txn, Throwable failure, boolean retryable, boolean retrying) {
    }
}
