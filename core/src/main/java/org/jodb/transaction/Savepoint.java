package org.jodb.transaction;

/**
 * A point inside a transaction that it can be rolled back to, any number of times.
 * (Contract javadoc to be completed with the implementation: ZODB-SEMANTICS 22–31.)
 */
public interface Savepoint {

    /** Restores every joined data manager to its state at this savepoint; invalidates later savepoints. */
    void rollback();

    /** False after commit, abort, or rollback to an earlier savepoint. */
    boolean isValid();
}
