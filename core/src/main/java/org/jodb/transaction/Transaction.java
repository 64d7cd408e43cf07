package org.jodb.transaction;

import java.util.Map;
import java.util.function.Consumer;

/**
 * One unit of work across every {@link DataManager} that joined it: it ends by {@link #commit()} (all of
 * them keep their changes, or none does) or {@link #abort()} (all discard them). The Java rendering of
 * ZODB's {@code ITransaction}.
 *
 * <h2>Getting one</h2>
 * From a {@link TransactionManager} ({@code get()} or {@code begin()}), or from {@link Transactions} for the
 * calling thread's manager. Once a transaction has committed or aborted it has <em>ended</em>: its manager
 * no longer returns it, and it cannot be used again (ask the manager for the next one).
 *
 * <h2>Lifecycle</h2>
 * {@link TransactionStatus} gives the states and their transitions. In short: an {@code ACTIVE}
 * transaction can be joined, savepointed, doomed, committed and aborted. A {@code DOOMED} one can be
 * joined and savepointed but only aborted. A failure while committing, taking a savepoint or rolling one
 * back makes it {@code COMMIT_FAILED}: then commit, savepoint, rollback and join throw
 * {@link TransactionFailedException} until it is aborted.
 *
 * <h2>Commit, in order</h2>
 * <ol>
 *   <li>a doomed transaction throws {@link DoomedTransactionException} and nothing else happens;</li>
 *   <li>every savepoint becomes invalid;</li>
 *   <li>a failed transaction throws {@link TransactionFailedException};</li>
 *   <li>before-commit hooks run, first added first, including hooks they add (a failure propagates; the
 *       transaction stays active);</li>
 *   <li>synchronizers' {@code beforeCompletion};</li>
 *   <li>status {@code COMMITTING}; two-phase commit as {@link DataManager} describes;</li>
 *   <li>on success: status {@code COMMITTED}, synchronizers' {@code afterCompletion}, after-commit hooks
 *       with {@code true}, and the transaction ends;</li>
 *   <li>on failure: status {@code COMMIT_FAILED}, synchronizers' {@code afterCompletion}, after-commit hooks
 *       with {@code false}, and the original exception is thrown; the transaction stays its manager's
 *       current one until it is aborted.</li>
 * </ol>
 *
 * <h2>Abort, in order</h2>
 * Before-abort hooks (failures logged), every savepoint becomes invalid, synchronizers'
 * {@code beforeCompletion}, {@code abort} on every data manager, after-abort hooks, the transaction ends
 * (the manager forgets it), synchronizers' {@code afterCompletion}. Every step runs even when an earlier
 * one failed; the first failure of a data manager, synchronizer or after-abort hook is thrown at the end.
 * Aborting an ended transaction does nothing.
 *
 * <h2>Threads</h2>
 * A transaction belongs to the thread that its manager created it on. Every method that changes it
 * ({@code commit}, {@code abort}, {@code close}, {@code savepoint}, {@code join}, {@code doom}, {@code note},
 * {@code setUser}, {@code setExtendedInfo}, the hook methods) and every rollback of its savepoints throws
 * {@link IllegalStateException} naming both threads when called from another thread. Methods that only
 * read ({@code status}, {@code isDoomed}, {@code description}, {@code user}, {@code extendedInfo},
 * {@code isRetryable}, {@code manager}) may be called from any thread, without guarantee of freshness.
 *
 * <h2>try-with-resources</h2>
 * A transaction is {@link AutoCloseable}: {@link #close()} aborts it unless it has ended. So
 * <pre>{@code
 * try (Transaction tx = manager.begin()) {
 *     ... work ...
 *     tx.commit();
 * }   // aborted here if the work threw before commit()
 * }</pre>
 * commits when the block reaches {@code commit()} and aborts on any exception (also after a failed commit).
 */
public interface Transaction extends AutoCloseable {

    /**
     * Commits: before-commit hooks, then two-phase commit over every joined data manager (see "Commit, in
     * order" above). On success the transaction has ended.
     *
     * @throws DoomedTransactionException if the transaction is doomed (nothing was done)
     * @throws TransactionFailedException if an earlier commit, savepoint or rollback of it failed
     * @throws IllegalStateException if it has ended, is committing already, or belongs to another thread
     * @throws RuntimeException whatever a before-commit hook, synchronizer or data manager threw (a
     *         {@link TransientException} when the commit may succeed if retried); after a data manager
     *         threw, the transaction is {@code COMMIT_FAILED} and must be aborted
     */
    void commit();

    /**
     * Aborts: every joined data manager discards its changes; all savepoints become invalid; the
     * transaction ends (see "Abort, in order" above). Clears a {@code COMMIT_FAILED} or {@code DOOMED}
     * state. Does nothing if the transaction has already ended.
     *
     * @throws IllegalStateException if the transaction is committing or belongs to another thread
     * @throws RuntimeException the first failure of a data manager, synchronizer or after-abort hook,
     *         after every step ran; the transaction has ended all the same
     */
    void abort();

    /**
     * Ends the transaction for try-with-resources: {@link #abort()} unless it has already ended
     * (committed or aborted). A committed transaction is left alone.
     *
     * @throws IllegalStateException if the transaction belongs to another thread
     */
    @Override
    void close();

    /**
     * Takes a savepoint of every joined data manager; same as {@code savepoint(false)}.
     *
     * @throws SavepointsUnsupportedException if a joined data manager cannot take savepoints; the
     *         transaction has then failed (see {@link #savepoint(boolean)})
     */
    Savepoint savepoint();

    /**
     * Takes a savepoint: asks every joined data manager for a {@link DataManager#savepoint()} and returns a
     * {@link Savepoint} holding them all, numbered 1, 2, 3… within this transaction. A savepoint runs no
     * hooks and does not notify synchronizers. A transaction with no data manager gives a savepoint that
     * restores nothing.
     *
     * <p>When {@code optimistic} is true, a data manager that cannot take savepoints is tolerated: the
     * savepoint succeeds, and throws {@link SavepointsUnsupportedException} only if it is rolled back.
     *
     * <p>If taking the savepoint fails (including a data manager that cannot take savepoints when
     * {@code optimistic} is false), every data manager is aborted at once (uncommitted changes are lost),
     * the transaction becomes {@code COMMIT_FAILED} and the failure is thrown; it must be aborted.
     *
     * @throws SavepointsUnsupportedException if not {@code optimistic} and a joined data manager cannot
     *         take savepoints
     * @throws TransactionFailedException if an earlier commit, savepoint or rollback of it failed
     * @throws IllegalStateException if it has ended, is committing, or belongs to another thread
     * @throws RuntimeException whatever a data manager's {@code savepoint()} threw
     */
    Savepoint savepoint(boolean optimistic);

    /**
     * Adds a data manager to this transaction: it will be committed or aborted with it. Allowed while
     * {@code ACTIVE} or {@code DOOMED}. Joins are not de-duplicated: the data manager remembers that it
     * joined. A data manager that joins after savepoints were taken is aborted and removed again if one of
     * those savepoints is rolled back; it can then join again.
     *
     * @throws TransactionFailedException if the transaction is {@code COMMIT_FAILED}
     * @throws IllegalStateException if it is committing, has ended, or belongs to another thread
     */
    void join(DataManager dataManager);

    /**
     * Takes a data manager out of this transaction again (every time it joined): the transaction no longer
     * calls it at commit, abort or savepoints, and it can join again later. For a data manager that has
     * nothing to commit and stops serving the transaction, such as a connection closed while joined
     * without changes (it goes back to the database's pool and may join this transaction again when
     * reopened). Does nothing for a data manager that has not joined.
     *
     * @throws IllegalStateException if the transaction is committing or belongs to another thread
     */
    void leave(DataManager dataManager);

    /**
     * Marks an active transaction so that it can only be aborted: {@link #commit()} then throws
     * {@link DoomedTransactionException}. Useful when work found that it must not be committed but still has
     * to read. Dooming a doomed transaction does nothing.
     *
     * @throws IllegalStateException if the transaction is committing, committed, failed, has ended, or
     *         belongs to another thread
     */
    void doom();

    /** Whether the transaction is {@code DOOMED}. */
    boolean isDoomed();

    /**
     * Appends {@code text}, stripped of leading and trailing white space, to the {@link #description()} on
     * a new line. A storage records the description with the transaction. A null text is ignored.
     */
    void note(String text);

    /** The description: the notes joined by newlines, {@code ""} if none. */
    String description();

    /**
     * Sets the user recorded with the transaction to {@code name}, as given. (ZODB prefixes a path, {@code
     * "/ bob"}; Java users expect the name they set, so jodb keeps it plain. {@link #setUser(String, String)}
     * gives ZODB's form.)
     *
     * @throws NullPointerException if {@code name} is null
     */
    void setUser(String name);

    /**
     * Sets the user recorded with the transaction to {@code path + " " + name}, as ZODB does.
     *
     * @throws NullPointerException if an argument is null
     */
    void setUser(String name, String path);

    /** The user, {@code ""} if none was set. */
    String user();

    /** Records an extra key and value with the transaction (ZODB's extension); a later value replaces. */
    void setExtendedInfo(String key, Object value);

    /** The extended info, an unmodifiable view in insertion order. */
    Map<String, Object> extendedInfo();

    /** The current state; unchanged by abort (an aborted transaction keeps the state it had). */
    TransactionStatus status();

    /** The manager that created this transaction. */
    TransactionManager manager();

    /**
     * Whether {@code error} is worth retrying in a new transaction: it is a {@link TransientException}, or a
     * data manager joined to this transaction says so ({@link DataManager#shouldRetry}). Ask before
     * aborting: an ended transaction has no data managers left.
     */
    boolean isRetryable(Throwable error);

    /**
     * Adds a hook run at the start of {@link #commit()}, before any data manager is called; hooks run first
     * added first, and a hook may add more. A hook failure propagates out of {@code commit()}, leaving the
     * transaction active. Hooks are used up by the commit attempt; savepoints do not run them. A hook that
     * ends the transaction (aborts it) makes {@code commit()} throw {@link IllegalStateException}: nothing
     * is committed.
     */
    void addBeforeCommitHook(Runnable hook);

    /**
     * Adds a hook run after {@link #commit()}: it receives true when the transaction committed, false when
     * its commit failed in two-phase commit. Hook failures are logged and ignored. Not run on abort. After a
     * successful commit, {@code abort()} from a hook does nothing and {@code commit()} throws
     * {@link IllegalStateException}: the commit ends the transaction once its hooks have run.
     */
    void addAfterCommitHook(Consumer<Boolean> hook);

    /** Adds a hook run at the start of {@link #abort()}; failures are logged and ignored. */
    void addBeforeAbortHook(Runnable hook);

    /**
     * Adds a hook run by {@link #abort()} after the data managers were aborted; the first failure is thrown
     * when abort is over. Not run on commit, even a failed one.
     */
    void addAfterAbortHook(Runnable hook);
}
