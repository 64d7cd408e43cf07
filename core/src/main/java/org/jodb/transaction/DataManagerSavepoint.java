package org.jodb.transaction;

/**
 * One data manager's part of a {@link Savepoint}, returned by {@link DataManager#savepoint()}. It has no
 * notion of validity: the transaction's savepoint decides whether a rollback is allowed (a savepoint stays
 * valid after it is rolled back; the savepoints taken after it do not), so a part may be asked to roll
 * back any number of times, also after later parts were rolled back.
 */
public interface DataManagerSavepoint {
    /**
     * Restores the data manager to the state it had when this savepoint was taken. May be called any
     * number of times. A failure here fails the transaction ({@link TransactionStatus#COMMIT_FAILED}):
     * it must then be aborted.
     */
    void rollback();
}
