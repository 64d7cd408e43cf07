package org.jodb.transaction;

/**
 * Told about transaction boundaries of a {@link TransactionManager} it is registered with (held weakly:
 * a forgotten synchronizer, e.g. a connection with its whole object cache, must not be pinned).
 */
public interface Synchronizer {
    /** A transaction was begun explicitly with {@code begin()} (not an implicit {@code get()}). */
    default void newTransaction(Transaction txn) {
    }

    /** Commit or abort of {@code txn} is starting. */
    default void beforeCompletion(Transaction txn) {
    }

    /** Commit (successful or not) or abort of {@code txn} has ended. */
    default void afterCompletion(Transaction txn) {
    }
}
