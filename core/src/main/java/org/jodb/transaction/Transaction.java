package org.jodb.transaction;

import java.util.function.Consumer;

/**
 * One unit of work across every {@link DataManager} that joined it. Obtained from a
 * {@link TransactionManager} (or {@link Transactions}); belongs to the thread whose manager made it.
 *
 * <p>(Contract javadoc to be completed with the implementation: see ZODB-SEMANTICS 6–31.)
 */
public interface Transaction {

    /** Commits: before-commit hooks, then two-phase commit over every joined data manager. */
    void commit();

    /** Aborts: every joined data manager discards its changes; all savepoints become invalid. */
    void abort();

    /** Takes a savepoint of every joined data manager (not optimistic). */
    Savepoint savepoint();

    /** Takes a savepoint; when {@code optimistic}, data managers without savepoint support are tolerated. */
    Savepoint savepoint(boolean optimistic);

    /** Adds a data manager to this transaction. */
    void join(DataManager dataManager);

    /** Marks the transaction so that it can only be aborted. */
    void doom();

    boolean isDoomed();

    /** Appends a line to the description. */
    void note(String text);

    /** The description: the notes joined by newlines, {@code ""} if none. */
    String description();

    void setUser(String user);

    /** The user, {@code ""} if none. */
    String user();

    TransactionStatus status();

    void addBeforeCommitHook(Runnable hook);

    /** The hook receives true when the transaction committed, false when its commit failed. */
    void addAfterCommitHook(Consumer<Boolean> hook);

    void addAfterAbortHook(Runnable hook);
}
