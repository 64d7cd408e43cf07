package org.jodb.transaction;

/**
 * A participant in a transaction: a jodb {@code Connection}, a JDBC connection, a second database, a
 * message outbox. The Java rendering of ZODB's {@code IDataManager}. A data manager takes part in a
 * transaction by {@link Transaction#join joining} it, usually when it first holds a change for it; the
 * transaction then drives it through exactly one of the paths below.
 *
 * <h2>Joining</h2>
 * The transaction does not de-duplicate joins, as in ZODB: a data manager that joins twice takes
 * part twice. It must remember that it joined the current transaction and join once.
 *
 * <h2>Commit: two-phase, every phase across all data managers before the next</h2>
 * Data managers are ordered by {@link #sortKey()} (a stable sort: equal keys keep their join order); then
 * the transaction calls
 * <ol>
 *   <li>{@link #tpcBegin} on all of them, then</li>
 *   <li>{@link #commit} on all, then</li>
 *   <li>{@link #tpcVote} on all, then</li>
 *   <li>{@link #tpcFinish} on all.</li>
 * </ol>
 * If any of these calls (or {@code sortKey()}) throws, the transaction calls {@link #abort} on each data
 * manager that has not voted yet, then {@link #tpcAbort} on all of them (failures of these two are logged
 * and attached to the original failure as suppressed, never thrown), and the commit fails with the original
 * exception. A failure in {@code tpcFinish} (see "What may not fail") ends the commit there: the data managers
 * not yet finished are aborted; when none had finished, the commit fails with that failure as it is (nothing
 * is committed); when some had, their changes cannot be undone, the failure is logged as the serious thing it is
 * and the commit fails with a {@link PartialCommitException} that names them.
 *
 * <h2>One data manager: one-phase commit</h2>
 * When the transaction has exactly one data manager, nothing else can fail between its vote and its finish, so
 * the transaction calls {@link #tpcVoteAndFinish} instead of {@code tpcVote} then {@code tpcFinish} (after
 * {@code tpcBegin} and {@code commit} as above). A data manager that can commit more cheaply in one step (a
 * storage that commits several such transactions together) overrides it; the default runs the two phases.
 * If it throws, the transaction calls {@link #abort} and then {@link #tpcAbort}, as for a failed vote, and the
 * commit fails with that failure as it is: whichever half failed, nothing is committed (see "What may not
 * fail").
 *
 * <h2>Abort</h2>
 * {@link #abort} discards every change the data manager holds for the transaction. It is called
 * <ul>
 *   <li>when the transaction aborts;</li>
 *   <li>during a failed commit, if this data manager had not voted yet (then {@code tpcAbort} follows);</li>
 *   <li>when a savepoint cannot be taken (then {@code tpcAbort} follows, without a {@code tpcBegin});</li>
 *   <li>when a savepoint taken <em>before</em> this data manager joined is rolled back: it is then also
 *       removed from the transaction, and joins again on its next change;</li>
 *   <li>after the after-commit hooks (or after-abort hooks) of a transaction that had any, as a "clean"
 *       pass in case a hook touched the data manager: after a successful commit there is then nothing left
 *       to discard, and abort must do nothing harmful.</li>
 * </ul>
 * So {@code abort} must tolerate being called more than once, and after {@code tpcFinish} or
 * {@code tpcAbort}.
 *
 * <h2>Savepoints</h2>
 * {@link Transaction#savepoint()} calls {@link #savepoint()} on every joined data manager; rolling the
 * transaction's savepoint back calls {@link DataManagerSavepoint#rollback()} on the part this data manager
 * returned, any number of times. A data manager that cannot take savepoints simply does not implement
 * {@link #savepoint()} (the default throws {@link SavepointsUnsupportedException}), or returns null from it,
 * or throws that exception itself; all three mean the same: a savepoint of the transaction fails with
 * {@link SavepointsUnsupportedException} and fails the transaction, and an optimistic one
 * ({@code savepoint(true)}) succeeds but cannot be rolled back. Its commit is not affected.
 *
 * <h2>What may not fail</h2>
 * {@link #tpcAbort} must never fail. {@link #tpcFinish} may fail only once the data manager knows the outcome
 * of its part, and that outcome is "not committed, and never will be": it has then thrown its changes away
 * (nothing of them stays visible to the application) and is ready for the next transaction. A data manager
 * whose resource cannot tell at first (its connection to a server broke during finish) must find out before it
 * throws; one that cannot find out at all (its storage broke and closed) says so in the failure it throws.
 * Vote does all the work that can fail, so that a finish failure is rare. {@link #sortKey()} must be cheap and
 * never fail.
 *
 * <h2>Threads</h2>
 * All calls for one transaction come from the thread that owns the transaction, one at a time. A data
 * manager used by several threads (one transaction each) must keep their states apart.
 */
public interface DataManager {

    /**
     * Discards the changes made in {@code txn} (see "Abort" above for every caller). Must tolerate repeated
     * calls. Outside two-phase commit its failure is rethrown by {@code Transaction.abort()} after every
     * other data manager was aborted.
     */
    void abort(Transaction txn);

    /** Phase 1 starts: prepare to commit {@code txn} (e.g. begin a storage transaction). */
    void tpcBegin(Transaction txn);

    /** Hands the changes of {@code txn} to the underlying store (not yet durable or visible). */
    void commit(Transaction txn);

    /**
     * Last chance to refuse, e.g. with a conflict (a {@link TransientException}). After a vote returns,
     * the data manager has done everything that can fail but finishing (see "What may not fail").
     */
    void tpcVote(Transaction txn);

    /**
     * Makes the changes durable and visible. Fails only when the changes are settled as not committed and
     * thrown away (see "What may not fail"); the transaction then aborts the data managers not yet finished.
     */
    void tpcFinish(Transaction txn);

    /**
     * Votes and finishes in one step: called instead of {@link #tpcVote} and {@link #tpcFinish} when this data
     * manager is the transaction's only one (see "One data manager: one-phase commit"). Returns once the changes
     * are durable and visible. A failure means nothing of the transaction is committed, nor ever will be: either
     * the vote part refused (a conflict, a {@link TransientException}, ...), or the finish part failed under
     * finish's rules (see "What may not fail": the outcome is known and is "not committed", or the data manager
     * says in its failure that only a reopen of its resource can tell). The default calls {@code tpcVote} then
     * {@code tpcFinish}.
     */
    default void tpcVoteAndFinish(Transaction txn) {
        tpcVote(txn);
        tpcFinish(txn);
    }

    /**
     * Undoes everything since {@link #tpcBegin}. <b>Must never fail</b>; may be called more than once,
     * after {@code tpcFinish} of this data manager (when a later one failed to finish), and without a
     * {@code tpcBegin} (when a savepoint could not be taken).
     */
    void tpcAbort(Transaction txn);

    /**
     * A key that orders data managers in two-phase commit; it must be unique and stable for the life of
     * the data manager, so that two transactions lock shared resources in the same order (a jodb
     * connection uses its storage's key plus its own identity). Must not return null.
     */
    String sortKey();

    /**
     * Records the data manager's current state so that it can be restored later, any number of times. Any
     * failure here fails the transaction: every data manager is aborted at once (except, for an optimistic
     * savepoint, the "cannot" answers below).
     *
     * <p>A data manager without savepoints leaves this method out: the default throws
     * {@link SavepointsUnsupportedException}, the Java form of ZODB's data manager that has no
     * {@code savepoint} method. Returning null means the same (a {@code java.lang.reflect.Proxy} of this
     * interface whose handler knows nothing of savepoints returns null).
     *
     * @return the savepoint part, or null if this data manager cannot take savepoints
     * @throws SavepointsUnsupportedException if this data manager cannot take savepoints
     */
    default DataManagerSavepoint savepoint() {
        throw new SavepointsUnsupportedException("data manager " + this + " cannot take savepoints");
    }

    /**
     * Whether {@code error}, thrown by work done in a transaction this data manager joined, is worth
     * retrying in a new transaction although it is not a {@link TransientException} (e.g. a JDBC
     * serialization failure). Consulted by {@link Transaction#isRetryable(Throwable)} and so by
     * {@link TransactionManager#run(int, java.util.concurrent.Callable)}. Must not fail.
     */
    default boolean shouldRetry(Throwable error) {
        return false;
    }
}
