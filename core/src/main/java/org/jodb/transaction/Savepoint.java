package org.jodb.transaction;

/**
 * A point inside a transaction that it can be rolled back to, any number of times. Obtained from
 * {@link Transaction#savepoint(boolean)}; savepoints of one transaction are numbered 1, 2, 3… in the
 * order they were taken. The Java rendering of ZODB's {@code ISavepoint}.
 *
 * <h2>Validity</h2>
 * A savepoint is valid from its creation until
 * <ul>
 *   <li>a savepoint taken <em>before</em> it is rolled back (rolling back savepoint k invalidates every
 *       savepoint numbered above k; k itself stays valid), or</li>
 *   <li>its transaction commits or aborts.</li>
 * </ul>
 * Taking a savepoint invalidates nothing, and no hooks run.
 *
 * <h2>Threads</h2>
 * A savepoint belongs to the thread of its transaction; {@link #rollback()} from another thread throws
 * {@link IllegalStateException}. {@link #isValid()} may be called from any thread.
 */
public interface Savepoint {

    /**
     * Restores every data manager of the transaction to its state at this savepoint. First every later
     * savepoint is invalidated; then each data manager's part is rolled back. A data manager that joined
     * after this savepoint was taken is aborted and leaves the transaction (it joins again on its next
     * change). May be repeated; a repeated rollback restores the same state again.
     *
     * @throws InvalidSavepointException if this savepoint is no longer valid (the message says why);
     *         nothing was changed
     * @throws TransactionFailedException if the transaction failed earlier and must be aborted
     * @throws SavepointsUnsupportedException if this is an optimistic savepoint of a data manager that
     *         cannot take savepoints; the transaction has then failed
     * @throws IllegalStateException if called from a thread other than the transaction's
     * @throws RuntimeException whatever a data manager's rollback threw; the transaction is then
     *         {@code COMMIT_FAILED} and must be aborted
     */
    void rollback();

    /** False after commit, abort, or rollback to an earlier savepoint. */
    boolean isValid();
}
