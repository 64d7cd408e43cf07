package org.jodb.transaction;

/**
 * One data manager's part of a {@link Savepoint}. It has no notion of validity: the transaction's
 * savepoint decides whether a rollback is allowed (ZODB-SEMANTICS 31).
 */
public interface DataManagerSavepoint {
    /**
     * Restores the data manager to the state it had when this savepoint was taken. May be called any
     * number of times.
     */
    void rollback();
}
