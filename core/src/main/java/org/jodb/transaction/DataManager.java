package org.jodb.transaction;

/**
 * A participant in a transaction: a jodb {@code Connection}, a JDBC connection, a second database, a
 * message outbox. The Java rendering of ZODB's {@code IDataManager}.
 *
 * <h2>Commit: two-phase, every phase across all data managers before the next</h2>
 * Data managers are ordered by {@link #sortKey()}; then the transaction calls {@link #tpcBegin} on all of
 * them, then {@link #commit} on all, then {@link #tpcVote} on all, then {@link #tpcFinish} on all. If any
 * call up to and including the votes throws, the transaction calls {@link #abort} on each data manager
 * that has not voted yet, then {@link #tpcAbort} on all of them, and the commit fails.
 *
 * <h2>Abort</h2>
 * {@link #abort} outside two-phase commit discards every change the data manager holds for the transaction.
 *
 * <h2>Threads</h2>
 * All calls for one transaction come from the thread that owns the transaction.
 */
public interface DataManager {

    /** Discards the changes made in {@code txn}. Called outside two-phase commit or before the vote. */
    void abort(Transaction txn);

    /** Phase 1 starts: prepare to commit {@code txn}. */
    void tpcBegin(Transaction txn);

    /** Hands the changes of {@code txn} to the underlying store (not yet durable or visible). */
    void commit(Transaction txn);

    /** Last chance to refuse: after a vote returns, the data manager promises that finish will succeed. */
    void tpcVote(Transaction txn);

    /** Makes the changes durable and visible. <b>Must never fail.</b> */
    void tpcFinish(Transaction txn);

    /** Undoes everything since {@link #tpcBegin}. <b>Must never fail</b>; may be called more than once. */
    void tpcAbort(Transaction txn);

    /**
     * A key that orders data managers in two-phase commit; it must be unique and stable for the life of
     * the data manager, so that two transactions lock shared resources in the same order.
     */
    String sortKey();

    /**
     * Whether {@link #savepoint()} is supported. A data manager that returns false makes
     * {@code Transaction.savepoint()} throw {@link SavepointsUnsupportedException} and
     * {@code savepoint(true)} succeed with a savepoint that cannot be rolled back.
     */
    default boolean supportsSavepoints() {
        return true;
    }

    /**
     * Records the data manager's current state so that it can be restored later.
     *
     * @throws SavepointsUnsupportedException if {@link #supportsSavepoints()} is false
     */
    DataManagerSavepoint savepoint();
}
