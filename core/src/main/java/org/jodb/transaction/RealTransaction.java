package org.jodb.transaction;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/*
 * The one Transaction implementation (ZODB's _transaction.Transaction): its state, its checks, and the
 * order of the steps of commit, abort and savepoint. The steps themselves live in TwoPhaseCommit (the
 * data managers' two phases and the clean-up after a failure), SavepointChain (the savepoints that can
 * still be rolled back to) and TransactionHooks.
 *
 * Concurrency: none. A transaction is confined to the thread its manager created it on (checkOwner);
 * fields are plain. Only the read-only accessors may be called from elsewhere, without freshness.
 *
 * Invariants:
 * (1) ended is set once, by a successful commit or by abort; from then on the manager does not return
 *     this transaction and every operation but abort/close (no-ops) and the readers is refused.
 * (2) status == COMMIT_FAILED iff failure != null, until the transaction ends.
 */
final class RealTransaction implements Transaction {
    private static final System.Logger LOG = System.getLogger(RealTransaction.class.getName());

    private final TransactionManager manager;
    private final Thread owner;
    private TransactionStatus status = TransactionStatus.ACTIVE;
    /** How the transaction ended; null while it has not. */
    private Ending ended;
    /** The first failure of a commit, savepoint or rollback; null unless COMMIT_FAILED. */
    private CommitFailure failure;

    /**
     * Joined data managers in join order. A data manager that joins twice is kept twice, as ZODB does:
     * it takes part in each phase once per join, and must tolerate that.
     */
    private final List<DataManager> resources = new ArrayList<>();
    private final TwoPhaseCommit twoPhase = new TwoPhaseCommit(this);
    private final SavepointChain savepoints = new SavepointChain();
    private final TransactionHooks hooks = new TransactionHooks();

    private String description = "";
    private String user = "";
    private final Map<String, Object> extendedInfo = new LinkedHashMap<>();

    RealTransaction(TransactionManager manager) {
        this.manager = manager;
        this.owner = Thread.currentThread();
    }

    // ---- thread and state checks

    /** Refuses use from any thread but the owner: the manager, data managers and hooks assume one thread. */
    void checkOwner() {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new IllegalStateException("transaction of thread '" + owner.getName()
                    + "' used from thread '" + current.getName() + "'; a transaction and its savepoints"
                    + " serve only the thread that began it: use Transactions.get() (or your own"
                    + " TransactionManager) on this thread");
        }
    }

    private void checkNotEnded(String operation) {
        if (ended != null) {
            throw new IllegalStateException("cannot " + operation + ": the transaction has already been "
                    + ended.word + "; use the manager's current transaction (Transactions.get() or begin())");
        }
    }

    private void checkNotCommitting(String operation) {
        if (status == TransactionStatus.COMMITTING) {
            throw new IllegalStateException("cannot " + operation + " while the transaction is committing"
                    + " (called from a hook or data manager?); wait until commit() returns");
        }
    }

    private TransactionFailedException failed() {
        return failure.asException();
    }

    private void fail(String at, Throwable cause) {
        status = TransactionStatus.COMMIT_FAILED;
        failure = new CommitFailure(at, cause);
    }

    // ---- commit

    @Override
    public void commit() {
        checkOwner();
        checkNotEnded("commit");
        checkNotCommitting("commit");
        if (status == TransactionStatus.COMMITTED) { // called from an after-commit hook
            throw new IllegalStateException("cannot commit: the transaction has already been committed (this is"
                    + " one of its after-commit hooks); commit further work in a new transaction after commit()"
                    + " returns");
        }
        if (status == TransactionStatus.DOOMED) {
            throw new DoomedTransactionException("the transaction is doomed and cannot be committed;"
                    + " abort it");
        }
        savepoints.invalidateAll("was invalidated by the commit of its transaction");
        if (status == TransactionStatus.COMMIT_FAILED) {
            throw failed();
        }
        hooks.runBeforeCommit();
        for (Synchronizer s : manager.synchronizers().live()) {
            s.beforeCompletion(this);
        }
        if (ended != null) {
            // ZODB would go on and "commit" the emptied transaction without a word: nothing is written then
            throw new IllegalStateException("cannot commit: a before-commit hook or synchronizer ended the"
                    + " transaction (it was " + ended.word + "); nothing was committed. Do not end a transaction from"
                    + " its own before-commit hook; doom() it to make the commit fail instead");
        }
        status = TransactionStatus.COMMITTING;
        try {
            twoPhase.run(resources, () -> manager.synchronizers().live());
        } catch (Throwable t) {
            fail("commit", t);
            runAfterCommitHooks(false);
            throw t;
        }
        status = TransactionStatus.COMMITTED;
        for (Synchronizer s : manager.synchronizers().live()) {
            try {
                s.afterCompletion(this);
            } catch (RuntimeException e) {
                // The data is committed: failing commit() now would make callers redo committed work.
                LOG.log(Level.ERROR, "synchronizer " + s + " failed in afterCompletion after a commit", e);
            }
        }
        runAfterCommitHooks(true);
        end(Ending.COMMITTED);
    }

    private void runAfterCommitHooks(boolean committed) {
        if (hooks.runAfterCommit(committed)) {
            cleanPass();
        }
    }

    /** ZODB's clean pass after hooks: a hook may have touched a data manager after its commit or abort. */
    private void cleanPass() {
        for (DataManager dm : new ArrayList<>(resources)) {
            try {
                dm.abort(this);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "data manager " + dm + " failed in abort after hooks", e);
            }
        }
    }

    // ---- abort

    @Override
    public void abort() {
        checkOwner();
        if (ended != null || status == TransactionStatus.COMMITTED) {
            return; // nothing to abort; from an after-commit hook, the commit ends the transaction itself
        }
        checkNotCommitting("abort");
        Throwable first = null;
        hooks.runBeforeAbort();
        savepoints.invalidateAll("was invalidated by the abort of its transaction");
        List<Synchronizer> synchronizers = manager.synchronizers().live();
        for (Synchronizer s : synchronizers) {
            try {
                s.beforeCompletion(this);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "synchronizer " + s + " failed in beforeCompletion", e);
                first = first == null ? e : first;
            }
        }
        for (DataManager dm : new ArrayList<>(resources)) {
            try {
                dm.abort(this);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "data manager " + dm + " failed in abort", e);
                first = first == null ? e : first;
            }
        }
        if (!hooks.afterAbort.isEmpty()) {
            RuntimeException hookFailure = hooks.runAfterAbort();
            first = first == null ? hookFailure : first;
            cleanPass();
        }
        end(Ending.ABORTED);
        // After end(): the manager already returns a fresh transaction to whoever asks during afterCompletion.
        for (Synchronizer s : manager.synchronizers().live()) {
            try {
                s.afterCompletion(this);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "synchronizer " + s + " failed in afterCompletion", e);
                first = first == null ? e : first;
            }
        }
        if (first instanceof RuntimeException) {
            throw (RuntimeException) first;
        }
    }

    @Override
    public void close() {
        checkOwner();
        if (ended == null) {
            abort();
        }
    }

    /** The transaction is over: the manager forgets it, and it forgets its data managers and hooks. */
    private void end(Ending how) {
        ended = how;
        failure = null;
        try {
            manager.free(this);
        } finally {
            resources.clear();
            twoPhase.forgetVotes();
            hooks.clear();
        }
    }

    boolean hasEnded() {
        return ended != null;
    }

    // ---- savepoints

    @Override
    public Savepoint savepoint() {
        return savepoint(false);
    }

    @Override
    public Savepoint savepoint(boolean optimistic) {
        checkOwner();
        checkNotEnded("take a savepoint");
        checkNotCommitting("take a savepoint");
        if (status == TransactionStatus.COMMIT_FAILED) {
            throw failed();
        }
        List<DataManagerSavepoint> parts = new ArrayList<>(resources.size());
        try {
            for (DataManager dm : resources) {
                DataManagerSavepoint part = savepointOf(dm);
                if (part != null) {
                    parts.add(part);
                } else if (optimistic) {
                    parts.add(new NoRollbackSavepoint(dm));
                } else {
                    throw new SavepointsUnsupportedException("data manager " + dm + " cannot take"
                            + " savepoints; use savepoint(true) if you will not roll back, or keep it out of"
                            + " transactions that need savepoints (this transaction is now failed: abort it)");
                }
            }
        } catch (Throwable t) {
            twoPhase.forgetVotes();
            twoPhase.cleanup(new ArrayList<>(resources), t);
            fail("savepoint", t);
            throw t;
        }
        return savepoints.add(this, parts);
    }

    /**
     * The savepoint part of {@code dm}, or null if it cannot take savepoints: it does not implement
     * {@code savepoint()}, returns null from it, or throws {@link SavepointsUnsupportedException}.
     */
    private static DataManagerSavepoint savepointOf(DataManager dm) {
        try {
            return dm.savepoint();
        } catch (SavepointsUnsupportedException cannot) {
            return null;
        }
    }

    /** Called by a valid savepoint of this transaction, on the owner thread. */
    void rollbackTo(RealSavepoint savepoint) {
        checkNotEnded("roll back a savepoint");
        if (status == TransactionStatus.COMMIT_FAILED) {
            throw failed();
        }
        savepoints.invalidateAfter(savepoint.index);
        try {
            for (DataManagerSavepoint part : savepoint.parts()) {
                part.rollback();
            }
        } catch (Throwable t) {
            fail("rollback of savepoint " + savepoint.index, t);
            throw t;
        }
    }

    // ---- joining

    @Override
    public void join(DataManager dataManager) {
        Objects.requireNonNull(dataManager, "dataManager");
        checkOwner();
        checkNotEnded("join");
        if (status == TransactionStatus.COMMIT_FAILED) {
            throw failed();
        }
        if (status != TransactionStatus.ACTIVE && status != TransactionStatus.DOOMED) {
            throw new IllegalStateException("cannot join a transaction that is " + status
                    + "; join the manager's next transaction");
        }
        resources.add(dataManager);
        savepoints.addLateJoiner(dataManager, this);
    }

    @Override
    public void leave(DataManager dataManager) {
        Objects.requireNonNull(dataManager, "dataManager");
        checkOwner();
        checkNotCommitting("leave");
        unjoin(dataManager);
    }

    /** Takes every occurrence of {@code dataManager} out of the transaction (by identity). */
    void unjoin(DataManager dataManager) {
        resources.removeIf(r -> r == dataManager);
    }

    /** The joined data managers in join order (for tests and diagnostics). */
    List<DataManager> resources() {
        return Collections.unmodifiableList(resources);
    }

    // ---- doom, metadata, hooks

    @Override
    public void doom() {
        checkOwner();
        checkNotEnded("doom");
        if (status == TransactionStatus.DOOMED) {
            return;
        }
        if (status != TransactionStatus.ACTIVE) {
            throw new IllegalStateException("cannot doom a transaction that is " + status
                    + "; only an active transaction can be doomed");
        }
        status = TransactionStatus.DOOMED;
    }

    @Override
    public boolean isDoomed() {
        return status == TransactionStatus.DOOMED;
    }

    @Override
    public void note(String text) {
        checkOwner();
        if (text == null) {
            return;
        }
        String stripped = text.strip();
        description = description.isEmpty() ? stripped : description + "\n" + stripped;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void setUser(String name) {
        Objects.requireNonNull(name, "name");
        checkOwner();
        user = name;
    }

    @Override
    public void setUser(String name, String path) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        checkOwner();
        user = path + " " + name;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public void setExtendedInfo(String key, Object value) {
        Objects.requireNonNull(key, "key");
        checkOwner();
        extendedInfo.put(key, value);
    }

    @Override
    public Map<String, Object> extendedInfo() {
        return Collections.unmodifiableMap(extendedInfo);
    }

    @Override
    public TransactionStatus status() {
        return status;
    }

    @Override
    public TransactionManager manager() {
        return manager;
    }

    @Override
    public boolean isRetryable(Throwable error) {
        if (error instanceof TransientException) {
            return true;
        }
        for (DataManager dm : new ArrayList<>(resources)) {
            if (dm.shouldRetry(error)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void addBeforeCommitHook(Runnable hook) {
        addHook(hooks.beforeCommit, hook);
    }

    @Override
    public void addAfterCommitHook(Consumer<Boolean> hook) {
        addHook(hooks.afterCommit, hook);
    }

    @Override
    public void addBeforeAbortHook(Runnable hook) {
        addHook(hooks.beforeAbort, hook);
    }

    @Override
    public void addAfterAbortHook(Runnable hook) {
        addHook(hooks.afterAbort, hook);
    }

    private <H> void addHook(List<H> hooks, H hook) {
        Objects.requireNonNull(hook, "hook");
        checkOwner();
        checkNotEnded("add a hook");
        hooks.add(hook);
    }

    @Override
    public String toString() {
        return "Transaction[" + status + (ended == null ? "" : ", " + ended.word) + ", thread '" + owner.getName()
                + "']";
    }
}
