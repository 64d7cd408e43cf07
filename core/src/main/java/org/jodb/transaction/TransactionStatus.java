package org.jodb.transaction;

/**
 * The states of a {@link Transaction}, and the only moves between them (ZODB's transaction status, with its names).
 *
 * <pre>
 * from           by                                        to
 * ACTIVE         doom()                                    DOOMED
 * ACTIVE         commit(): two-phase commit starts         COMMITTING
 * COMMITTING     two-phase commit succeeded                COMMITTED      (ended)
 * COMMITTING     a data manager failed                     COMMIT_FAILED
 * ACTIVE/DOOMED  savepoint() or Savepoint.rollback() failed COMMIT_FAILED
 * any but COMMITTING  abort()                              (unchanged)    (ended)
 * </pre>
 * A before-commit hook or synchronizer that fails leaves the transaction {@code ACTIVE}. Abort does not
 * change the status; it ends the transaction, so its manager no longer returns it.
 */
public enum TransactionStatus {
    /** Can be joined, savepointed, doomed, committed and aborted. */
    ACTIVE,
    /** Two-phase commit is running: join, savepoint, doom and abort are refused. */
    COMMITTING,
    /** Committed; the transaction has ended. */
    COMMITTED,
    /** Can be joined and savepointed, but only aborted: commit throws {@link DoomedTransactionException}. */
    DOOMED,
    /** A commit, savepoint or rollback failed: only abort is allowed, the rest throws
     *  {@link TransactionFailedException}. */
    COMMIT_FAILED
}
