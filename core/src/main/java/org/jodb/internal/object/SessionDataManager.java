package org.jodb.internal.object;

import java.util.Optional;
import org.jodb.ConflictException;
import org.jodb.ReadConflictException;
import org.jodb.spi.CommitNotDoneException;
import org.jodb.spi.DanglingReferenceException;
import org.jodb.spi.OnePhaseOutcome;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageUnavailableException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.transaction.DataManager;
import org.jodb.transaction.DataManagerSavepoint;
import org.jodb.transaction.Transaction;
import org.jodb.transaction.TransactionManager;
import org.jodb.transaction.TransactionStatus;

/**
 * One session's part in its manager's transactions (the data manager): it joins a transaction at the first
 * call on one of the session's objects, and commits its changes through the storage's two-phase commit.
 *
 * <pre>
 * tpcBegin: flush the touched objects (before the storage is asked for anything: it may serialize commits
 *   from there on); nothing to write and nothing to check means no storage transaction at all. Otherwise
 *   register in ObjectLayer.WRITERS (one session per transaction and storage) and begin the storage's.
 * commit: the records and read checks go to the storage transaction.
 * tpcVote: the storage checks for conflicts, merging what MapConflictResolver can; a conflict left becomes a
 *   ConflictException (a ReadConflictException for a read check).
 * tpcFinish: the storage makes the transaction visible; the written objects carry its tid. A storage whose
 *   finish settled "not committed" (CommitNotDoneException) gets the changes thrown away here, before the
 *   failure goes on: no object keeps a state that is not in the storage, and the session is ready for the
 *   next transaction (the failure is retryable: the work can be redone).
 * tpcVoteAndFinish (the transaction's only data manager): both in one storage call (voteAndFinish), which may
 *   commit it together with other threads' transactions; the registry entries it created become readable before.
 * abort / tpcAbort: the changes are thrown away ({@link #discard}).
 * </pre>
 * Used by the session's thread only.
 */
final class SessionDataManager implements DataManager {
    private final ObjectLayer layer;
    private final Storage storage;
    private final ObjectCache cache;
    private final ChangeTracker changes;
    private final PendingEntries entries;
    private final Snapshot snapshot;
    private final SessionLife life;
    private final String sortKey;
    private StorageTransaction storageTxn;
    /** What this session is registered for in {@code ObjectLayer.WRITERS}, or null. */
    private ObjectLayer.Writing writingFor;

    SessionDataManager(ObjectLayer layer, ObjectCache cache, ChangeTracker changes, PendingEntries entries,
            Snapshot snapshot, SessionLife life, String sortKey) {
        this.layer = layer;
        this.storage = layer.storage;
        this.cache = cache;
        this.changes = changes;
        this.entries = entries;
        this.snapshot = snapshot;
        this.life = life;
        this.sortKey = sortKey;
    }

    // ---- joining ----------------------------------------------------------------------------------------

    /**
     * Joins the manager's current transaction if the session is in none and may join one now (see
     * {@link #canJoin}); returns whether the session is in a transaction.
     */
    boolean joinIfAllowed(TransactionManager manager, boolean write) {
        boolean inTransaction = changes.joined() != null || canJoin(manager, write);
        if (inTransaction) {
            join(manager);
        }
        return inTransaction;
    }

    /** Joins the manager's current transaction (beginning one in implicit mode), unless joined already. */
    void join(TransactionManager manager) {
        if (changes.joined() == null) {
            if (changes.hasOutside()) {
                // objects read in an after-commit hook, settled before this transaction changes them
                changes.settleOutside(this::discard);
            }
            Transaction txn = manager.get();
            txn.join(this);
            changes.joinedTo(txn);
        }
    }

    /**
     * False in explicit mode with no transaction begun, while the current transaction runs its after-commit
     * hooks (it has committed and can no longer be joined), and, for a call that may only read, while the
     * current transaction has failed (a commit, savepoint or rollback threw) and waits for its abort: calls
     * then only read (see {@link OutsideChanges}). As in ZODB, objects can be read then, e.g. to report what
     * failed; a known write ({@code write}) joins, and the failed transaction refuses it.
     */
    private static boolean canJoin(TransactionManager manager, boolean write) {
        Optional<Transaction> current = manager.current();
        if (current.isEmpty()) {
            return !manager.isExplicit();
        }
        TransactionStatus status = current.get().status();
        return status != TransactionStatus.COMMITTED && (write || status != TransactionStatus.COMMIT_FAILED);
    }

    /** Leaves the joined transaction, which changed nothing (the session is closed read-only). */
    void leave() {
        // the session goes back to the pool and may serve another manager, or this one again, in this very
        // transaction; joined twice, it would begin and vote its storage transaction twice at commit. Savepoint
        // parts it left behind check isJoinedTo.
        changes.joined().leave(this);
        changes.leave();
    }

    // ---- DataManager ------------------------------------------------------------------------------------

    @Override
    public void abort(Transaction txn) {
        if (!changes.isJoinedTo(txn)) {
            return;
        }
        discard();
    }

    @Override
    public void tpcBegin(Transaction txn) {
        if (!changes.isJoinedTo(txn)) {
            return;
        }
        // serialize before the storage transaction begins: the storage may serialize commits from here on
        changes.flush();
        if (changes.nothingToCommit()) {
            return; // nothing changed: no storage transaction at all
        }
        if (life.isReleased()) {
            throw new IllegalStateException("the database was closed during this transaction: abort it, and"
                    + " open the database again to make the changes");
        }
        if (snapshot.isHistorical()) {
            throw new IllegalStateException("a historical connection (reading as of tid " + snapshot.tid()
                    + ") is read-only: abort the transaction, and change objects through a connection made"
                    + " by Database.open()");
        }
        ObjectLayer.Writing writing = new ObjectLayer.Writing(txn, storage);
        SessionDataManager other = ObjectLayer.WRITERS.putIfAbsent(writing, this);
        if (other != null && other != this) {
            throw new IllegalStateException("one transaction changed objects through two connections of one"
                    + " database (storage " + storage.name() + "), which cannot commit together; make the"
                    + " changes through one connection, or give each connection its own TransactionManager"
                    + " (ZODB refuses this too)");
        }
        writingFor = writing;
        storageTxn = storage.tpcBegin(new TransactionMetadata(txn.user(), txn.description()),
                new MapConflictResolver(layer, entries));
    }

    @Override
    public void commit(Transaction txn) {
        if (storageTxn == null || !changes.isJoinedTo(txn)) {
            return;
        }
        changes.flush(); // objects touched by other data managers' commit calls, if any
        entries.storeInto(storageTxn);
        changes.storeInto(storageTxn);
    }

    @Override
    public void tpcVote(Transaction txn) {
        if (storageTxn == null || !changes.isJoinedTo(txn)) {
            return;
        }
        try {
            long[] resolved = storageTxn.vote();
            // before finish makes our records visible: another thread's conflict resolution may decode them the
            // moment the storage lets it vote, before tpcFinish below publishes the entries
            entries.voted();
            for (long oid : resolved) {
                changes.mergedByStorage(oid);
            }
        } catch (StorageConflictException e) {
            layer.counters.conflicts.increment();
            throw conflict(e);
        }
    }

    @Override
    public void tpcFinish(Transaction txn) {
        if (!changes.isJoinedTo(txn)) {
            return;
        }
        if (storageTxn == null) {
            changes.endTransaction();
            return;
        }
        long tid;
        try {
            tid = storageTxn.finish();
        } catch (CommitNotDoneException e) {
            discard(); // nothing of it is committed, nor ever will be: changed objects become ghosts again
            throw e;
        }
        finished(tid);
    }

    /**
     * The transaction's only data manager: the storage votes and finishes in one call (and may commit it together
     * with other threads' transactions). The same steps as tpcVote then tpcFinish.
     */
    @Override
    public void tpcVoteAndFinish(Transaction txn) {
        if (storageTxn == null || !changes.isJoinedTo(txn)) {
            tpcFinish(txn);
            return;
        }
        // before the call: the storage makes the records visible before it returns, and another thread's
        // conflict resolution may decode them at once (a failed commit leaves these entries unused: no committed
        // record names them)
        entries.voted();
        OnePhaseOutcome outcome;
        try {
            outcome = storageTxn.voteAndFinish();
        } catch (StorageConflictException e) {
            layer.counters.conflicts.increment();
            throw conflict(e);
        } catch (CommitNotDoneException e) {
            discard();
            throw e;
        }
        for (long oid : outcome.resolvedOids()) {
            changes.mergedByStorage(oid);
        }
        finished(outcome.tid());
    }

    /** The storage committed the transaction as {@code tid}: the written objects carry it. */
    private void finished(long tid) {
        layer.counters.commits.increment();
        storageTxn = null;
        stopWriting();
        snapshot.committedOwn(tid);
        entries.committed();
        changes.committed(tid);
    }

    @Override
    public void tpcAbort(Transaction txn) {
        if (!changes.isJoinedTo(txn)) {
            return;
        }
        abortStorageTransaction();
        discard();
    }

    /** A commit the storage settled as not done can be redone in a new transaction. */
    @Override
    public boolean shouldRetry(Throwable error) {
        return error instanceof CommitNotDoneException || error instanceof StorageUnavailableException;
    }

    @Override
    public String sortKey() {
        return sortKey;
    }

    @Override
    public DataManagerSavepoint savepoint() {
        if (changes.joined() == null) {
            return SessionSavepoint.ofNoTransaction(); // asked by a transaction this session left (closed read-only)
        }
        life.checkOpen();
        return changes.savepoint(life);
    }

    /** For the transaction's messages and logs, which name the data managers that failed. */
    @Override
    public String toString() {
        return "connection to " + storage.name() + " (" + sortKey + ")";
    }

    // ---- ending --------------------------------------------------------------------------------------

    /** Throws away the transaction: changed objects become ghosts, new ones are disowned, the storage's aborts. */
    void discard() {
        changes.forgetChanges();
        abortStorageTransaction();
        entries.clear();
        changes.clear();
    }

    private void abortStorageTransaction() {
        if (storageTxn != null) {
            storageTxn.abort();
            storageTxn = null;
        }
        stopWriting();
    }

    /** This session's storage transaction has ended: another session may commit for the transaction. */
    private void stopWriting() {
        if (writingFor != null) {
            ObjectLayer.WRITERS.remove(writingFor, this);
            writingFor = null;
        }
    }

    private ConflictException conflict(StorageConflictException e) {
        PersistentObject p = cache.get(e.oid());
        String className = p == null ? "class unknown to this connection"
                : p instanceof ContainerPart part ? part.$jodbContainerName()
                : layer.proxies.userClass(p.getClass()).getName();
        ConflictException c = e instanceof DanglingReferenceException
                ? new ConflictException(e.oid(), className, e.readSerial(), e.currentSerial(),
                        "cannot commit a reference to oid " + e.oid() + " (" + className + "): " + e.getMessage())
                : e.isReadConflict()
                ? new ReadConflictException(e.oid(), className, e.readSerial(), e.currentSerial())
                : new ConflictException(e.oid(), className, e.readSerial(), e.currentSerial());
        c.initCause(e);
        return c;
    }
}
