package org.jodb.transaction;

import java.lang.System.Logger.Level;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/*
 * The one Transaction implementation (ZODB's _transaction.Transaction).
 *
 * Concurrency: none. A transaction is confined to the thread its manager created it on (checkOwner);
 * fields are plain. Only the read-only accessors may be called from elsewhere, without freshness.
 *
 * Invariants:
 * (1) ended is set once, by a successful commit or by abort; from then on the manager does not return
 *     this transaction and every operation but abort/close (no-ops) and the readers is refused.
 * (2) status == COMMIT_FAILED iff failure != null, until the transaction ends.
 * (3) savepoints holds the live (valid, still referenced) savepoints in increasing index order; a
 *     savepoint leaves the list when it is invalidated. Weak, as in ZODB: a savepoint the application
 *     dropped needs no AbortSavepoint parts and cannot be rolled back anyway.
 * (4) voted holds the data managers whose tpcVote returned in the current commit attempt.
 */
final class RealTransaction implements Transaction {
    private static final System.Logger LOG = System.getLogger(RealTransaction.class.getName());

    private final TransactionManager manager;
    private final Thread owner;
    private TransactionStatus status = TransactionStatus.ACTIVE;
    /** "committed" or "aborted" once the transaction has ended, null before. */
    private String ended;
    /** The first failure of a commit, savepoint or rollback; null unless COMMIT_FAILED. */
    private Throwable failure;
    /** Where {@link #failure} happened, for the message: "commit", "savepoint", "rollback of savepoint 2". */
    private String failedAt;

    /** Joined data managers in join order, duplicates kept (ZODB-SEMANTICS 7). */
    private final List<DataManager> resources = new ArrayList<>();
    private final Set<DataManager> voted = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<WeakReference<RealSavepoint>> savepoints = new ArrayList<>();
    /** The index of the last savepoint taken; 0 before the first. */
    private int savepointCount;

    private final List<Runnable> beforeCommitHooks = new ArrayList<>();
    private final List<Consumer<Boolean>> afterCommitHooks = new ArrayList<>();
    private final List<Runnable> beforeAbortHooks = new ArrayList<>();
    private final List<Runnable> afterAbortHooks = new ArrayList<>();

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
                    + ended + "; use the manager's current transaction (Transactions.get() or begin())");
        }
    }

    private void checkNotCommitting(String operation) {
        if (status == TransactionStatus.COMMITTING) {
            throw new IllegalStateException("cannot " + operation + " while the transaction is committing"
                    + " (called from a hook or data manager?); wait until commit() returns");
        }
    }

    private TransactionFailedException failed() {
        return new TransactionFailedException("transaction failed at " + failedAt + ": " + failure
                + "; abort it before reusing this thread's manager", failure);
    }

    private void fail(String at, Throwable cause) {
        status = TransactionStatus.COMMIT_FAILED;
        failure = cause;
        failedAt = at;
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
        invalidateAllSavepoints("was invalidated by the commit of its transaction");
        if (status == TransactionStatus.COMMIT_FAILED) {
            throw failed();
        }
        runHooks(beforeCommitHooks);
        for (Synchronizer s : manager.synchronizers().live()) {
            s.beforeCompletion(this);
        }
        if (ended != null) {
            // ZODB would go on and "commit" the emptied transaction without a word: nothing is written then
            throw new IllegalStateException("cannot commit: a before-commit hook or synchronizer ended the"
                    + " transaction (it was " + ended + "); nothing was committed. Do not end a transaction from"
                    + " its own before-commit hook; doom() it to make the commit fail instead");
        }
        status = TransactionStatus.COMMITTING;
        try {
            commitResources();
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
        end("committed");
    }

    /** Two-phase commit; on failure cleans up, tells synchronizers, and rethrows the first failure. */
    private void commitResources() {
        List<DataManager> ordered = new ArrayList<>(resources);
        voted.clear();
        try {
            Map<DataManager, String> keys = new IdentityHashMap<>();
            for (DataManager dm : ordered) {
                keys.put(dm, sortKeyOf(dm));
            }
            ordered.sort(Comparator.comparing(keys::get));
            for (DataManager dm : ordered) {
                dm.tpcBegin(this);
            }
            for (DataManager dm : ordered) {
                dm.commit(this);
            }
            for (DataManager dm : ordered) {
                dm.tpcVote(this);
                voted.add(dm);
            }
            try {
                for (DataManager dm : ordered) {
                    dm.tpcFinish(this);
                }
            } catch (Throwable t) {
                LOG.log(Level.ERROR, "a data manager failed in tpcFinish, the second phase of two-phase"
                        + " commit; data managers may be in an inconsistent state", t);
                throw t;
            }
        } catch (Throwable t) {
            try {
                cleanup(ordered, t);
            } finally {
                for (Synchronizer s : manager.synchronizers().live()) {
                    try {
                        s.afterCompletion(this);
                    } catch (RuntimeException e) {
                        LOG.log(Level.ERROR, "synchronizer " + s + " failed in afterCompletion", e);
                        t.addSuppressed(e);
                    }
                }
            }
            throw t;
        }
    }

    private static String sortKeyOf(DataManager dm) {
        return Objects.requireNonNull(dm.sortKey(), () -> "sortKey() of data manager " + dm + " returned null");
    }

    /** Abort on every data manager that has not voted, then tpcAbort on all; never throws. */
    private void cleanup(List<DataManager> dataManagers, Throwable cause) {
        for (DataManager dm : dataManagers) {
            if (!voted.contains(dm)) {
                try {
                    dm.abort(this);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "data manager " + dm + " failed in abort", e);
                    cause.addSuppressed(e);
                }
            }
        }
        for (DataManager dm : dataManagers) {
            try {
                dm.tpcAbort(this);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "data manager " + dm + " failed in tpcAbort", e);
                cause.addSuppressed(e);
            }
        }
    }

    /** Runs hooks first added first, including hooks added while running; the list is used up. */
    private void runHooks(List<Runnable> hooks) {
        try {
            for (int i = 0; i < hooks.size(); i++) {
                hooks.get(i).run();
            }
        } finally {
            hooks.clear();
        }
    }

    private void runAfterCommitHooks(boolean committed) {
        if (afterCommitHooks.isEmpty()) {
            return;
        }
        for (int i = 0; i < afterCommitHooks.size(); i++) {
            try {
                afterCommitHooks.get(i).accept(committed);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "after-commit hook failed", e);
            }
        }
        afterCommitHooks.clear();
        cleanPass();
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
        for (int i = 0; i < beforeAbortHooks.size(); i++) {
            try {
                beforeAbortHooks.get(i).run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "before-abort hook failed", e);
            }
        }
        beforeAbortHooks.clear();
        invalidateAllSavepoints("was invalidated by the abort of its transaction");
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
        if (!afterAbortHooks.isEmpty()) {
            for (int i = 0; i < afterAbortHooks.size(); i++) {
                try {
                    afterAbortHooks.get(i).run();
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "after-abort hook failed", e);
                    first = first == null ? e : first;
                }
            }
            afterAbortHooks.clear();
            cleanPass();
        }
        end("aborted");
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
    private void end(String how) {
        ended = how;
        failure = null;
        try {
            manager.free(this);
        } finally {
            resources.clear();
            voted.clear();
            beforeCommitHooks.clear();
            afterCommitHooks.clear();
            beforeAbortHooks.clear();
            afterAbortHooks.clear();
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
            voted.clear();
            cleanup(new ArrayList<>(resources), t);
            fail("savepoint", t);
            throw t;
        }
        RealSavepoint savepoint = new RealSavepoint(this, ++savepointCount, parts);
        savepoints.add(new WeakReference<>(savepoint));
        return savepoint;
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
        invalidateAfter(savepoint.index);
        try {
            for (DataManagerSavepoint part : savepoint.parts()) {
                part.rollback();
            }
        } catch (Throwable t) {
            fail("rollback of savepoint " + savepoint.index, t);
            throw t;
        }
    }

    private List<RealSavepoint> liveSavepoints() {
        List<RealSavepoint> live = new ArrayList<>(savepoints.size());
        savepoints.removeIf(ref -> ref.get() == null);
        for (WeakReference<RealSavepoint> ref : savepoints) {
            RealSavepoint s = ref.get();
            if (s != null) {
                live.add(s);
            }
        }
        return live;
    }

    private void invalidateAfter(int index) {
        for (RealSavepoint s : liveSavepoints()) {
            if (s.index > index) {
                s.invalidate("was invalidated by rolling back savepoint " + index);
            }
        }
        savepoints.removeIf(ref -> ref.get() == null || !ref.get().isValid());
    }

    private void invalidateAllSavepoints(String why) {
        for (RealSavepoint s : liveSavepoints()) {
            s.invalidate(why);
        }
        savepoints.clear();
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
        List<RealSavepoint> live = liveSavepoints();
        if (!live.isEmpty()) {
            // It had no state at those savepoints: rolling back to one of them means aborting it.
            AbortSavepoint part = new AbortSavepoint(dataManager, this);
            for (RealSavepoint s : live) {
                s.addPart(part);
            }
        }
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
        addHook(beforeCommitHooks, hook);
    }

    @Override
    public void addAfterCommitHook(Consumer<Boolean> hook) {
        addHook(afterCommitHooks, hook);
    }

    @Override
    public void addBeforeAbortHook(Runnable hook) {
        addHook(beforeAbortHooks, hook);
    }

    @Override
    public void addAfterAbortHook(Runnable hook) {
        addHook(afterAbortHooks, hook);
    }

    private <H> void addHook(List<H> hooks, H hook) {
        Objects.requireNonNull(hook, "hook");
        checkOwner();
        checkNotEnded("add a hook");
        hooks.add(hook);
    }

    @Override
    public String toString() {
        return "Transaction[" + status + (ended == null ? "" : ", " + ended) + ", thread '" + owner.getName()
                + "']";
    }
}
