package org.jodb.internal.object;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jodb.ConflictException;
import org.jodb.ObjectNotFoundException;
import org.jodb.PersistentMap;
import org.jodb.ReadConflictException;
import org.jodb.internal.serialization.ClassNames;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.RecordContext;
import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.DanglingReferenceException;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.transaction.DataManager;
import org.jodb.transaction.DataManagerSavepoint;
import org.jodb.transaction.Synchronizer;
import org.jodb.transaction.Transaction;
import org.jodb.transaction.TransactionManager;
import org.jodb.transaction.TransactionStatus;

/**
 * The engine behind one {@code Connection}: its objects, its snapshot, and its part in transactions.
 *
 * <pre>
 * Snapshot (MVCC, ZODB-SEMANTICS 40): every load reads the storage as of {@link #snapshot}, a tid fixed at
 *   each transaction boundary of the connection's manager (begin, commit, abort, sync); at a boundary the
 *   objects committed by others since are turned into ghosts. A savepoint is not a boundary.
 * Changes: a method call touches an object (ObjectStatus.TOUCHED; the connection joins the transaction).
 *   At a savepoint or commit, {@link #flush} serializes every touched object and keeps the record in
 *   {@link #writes} only when its bytes differ from the ones last saved; objects reached from written
 *   state without an oid get one there (persistence by reachability).
 * Commit: two-phase, through the storage's StorageTransaction; conflicts become ConflictException.
 * Abort and rollback: objects changed since are made ghosts again (they reload the saved state, in
 *   place: references to them stay valid); objects that got their oid since are disowned.
 * Invariants: (1) every object in {@link #touched} has status TOUCHED or was disowned; (2) an oid is in
 *   {@link #created} iff it was assigned in the current transaction; (3) outside a transaction
 *   {@link #writes}, {@link #touched} and {@link #created} are empty.
 * Threads: one thread at a time, like the connection: the thread its manager serves
 *   ({@link TransactionManager#thread()}). Objects refuse calls from others ({@link #checkCaller}), and so
 *   do the Connection's operations ({@link #checkThread}), unless that thread has ended. A refused call has
 *   changed nothing: the serving thread's transaction goes on.
 * </pre>
 */
public final class Session implements DataManager, Synchronizer, ObjectJar, RecordContext {
    private final ObjectLayer store;
    private final Storage storage;
    private final ObjectRecordCodec codec;
    private final String sortKey;
    /** Volatile: {@link #checkCaller} reads it on whatever thread calls one of this session's objects. */
    private volatile TransactionManager manager;
    private final ObjectCache cache;
    private final SavepointStates writes;
    private final PendingEntries entries;
    private final TransferCounter transfers = new TransferCounter();
    /** Objects a method ran on since the last flush, plus new objects waiting to be written. */
    private final ArrayDeque<ObjectState> touched = new ArrayDeque<>();
    /**
     * Objects whose method was still running when their transaction committed (a commit inside one of
     * their methods): touched again when this session joins its next transaction.
     */
    private final ArrayDeque<ObjectState> carried = new ArrayDeque<>();
    /** Objects a method ran on while no transaction was active (explicit mode). */
    private final ArrayDeque<ObjectState> outside = new ArrayDeque<>();
    /** Oids assigned in the current transaction. */
    private LongLongTable created = new LongLongTable(); // as a set: the values are unused
    /** oid → serial for {@link #readCurrent}. */
    private final Map<Long, Long> readChecks = new HashMap<>();
    /** The tid this connection reads at; read by {@code Database.pack} on another thread. */
    private volatile long snapshot;
    /** The tid of this connection's last commit: its own writes need no invalidation. */
    private long ownTid = -1;
    /** The transaction this connection has joined, or null. */
    private Transaction joined;
    private StorageTransaction storageTxn;
    /** What this session is registered for in {@code ObjectLayer.WRITERS}, or null. */
    private ObjectLayer.Writing writingFor;
    /** Volatile: {@link #release} sets it on the thread that closes the database. */
    private volatile boolean closed;
    /** Closed by {@link #release}: the database closed, maybe while this session's thread was using it. */
    private volatile boolean released;
    /** The tid a historical session reads at, or -1 for a normal one. */
    private long historicalTid = -1;
    /**
     * Whether applying other transactions' commits at the last transaction boundary failed (the storage
     * closed itself, say): the boundary is retried, and its failure thrown, at this session's next use.
     */
    private boolean pollPending;

    /**
     * A historical session (ZODB-SEMANTICS 45): reads as of {@code atTid} forever and refuses to commit
     * changes.
     */
    public static Session historical(ObjectLayer store, TransactionManager manager, long number, long atTid) {
        Session s = new Session(store, manager, number);
        s.historicalTid = atTid;
        s.snapshot = atTid;
        return s;
    }

    public Session(ObjectLayer store, TransactionManager manager, long number) {
        this.store = store;
        this.storage = store.storage;
        this.codec = store.codec;
        this.sortKey = "jodb:" + storage.name() + ":" + System.identityHashCode(store) + ":" + number;
        this.cache = new ObjectCache(store.cacheSize, store.cacheSizeBytes);
        this.writes = new SavepointStates(store.spillThreshold);
        this.entries = new PendingEntries(store.registry, storage);
        attach(manager);
    }

    /** Binds this (closed or new) session to a manager: fresh snapshot, invalidations applied. */
    public void attach(TransactionManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.closed = false;
        if (snapshot == 0) {
            snapshot = storage.lastTid();
        } else {
            poll();
        }
        manager.registerSynchronizer(this);
    }

    public TransactionManager manager() {
        return manager;
    }

    // ---- the Connection's operations ----------------------------------------------------------------

    public Object get(long oid) {
        checkOpen();
        checkThread();
        PersistentObject cached = cache.get(oid);
        if (cached != null) {
            return cached;
        }
        byte[] data;
        long serial;
        if (writes.contains(oid)) {
            data = writes.get(oid);
            serial = writes.serial(oid);
        } else {
            Revision r = loadAtSnapshot(oid);
            if (r == null || ObjectRecordCodec.isEntryRecord(r.data())) {
                throw new ObjectNotFoundException(oid, "no object with oid " + oid + " in this connection's"
                        + " snapshot (tid " + snapshot + "); check the oid, or start a new transaction to see"
                        + " newer commits");
            }
            data = r.data();
            serial = r.tid();
        }
        PersistentObject object = (PersistentObject) codec.newInstance(codec.typeOf(data, this));
        ObjectState state = new ObjectState(object, this, ObjectStatus.GHOST);
        state.oid = oid;
        object.$jodbState(state);
        cache.put(state);
        fill(state, data, serial);
        return object;
    }

    public <T> T create(Class<T> type, Object[] args) {
        checkOpen();
        checkThread();
        ClassNames.stableName(type); // the newest definition of a (JShell) class is the one records load into
        T object = store.proxies.instantiate(type, args);
        codec.usedAsPersistent(type); // a plain instance of it stored as a value is then reported
        PersistentObject p = (PersistentObject) object;
        p.$jodbState(new ObjectState(p, this, ObjectStatus.UNSAVED));
        return object;
    }

    /** Makes commit fail with a ReadConflictException if {@code object} changed since it was read (41). */
    public void readCurrent(Object object) {
        checkOpen();
        checkThread();
        ObjectState s = own(object);
        if (s == null || s.oid == ObjectState.NO_OID || s.status == ObjectStatus.GHOST || s.serial == 0) {
            return; // nothing was read, nothing to check (a ghost records nothing)
        }
        join();
        readChecks.putIfAbsent(s.oid, s.serial);
    }

    /** Applies other transactions' commits now; refused while this connection is in a transaction. */
    public void sync() {
        checkOpen();
        checkThread();
        if (joined != null) {
            throw new IllegalStateException("sync() inside a transaction: commit or abort it first (the"
                    + " snapshot of a transaction stays fixed)");
        }
        // objects read between transactions must be settled first: poll only ghosts clean objects, and
        // an invalidation skipped here would be lost for good once the snapshot has moved past it
        settleOutside();
        poll();
    }

    /** Ghosts every unchanged loaded object (ZODB's cacheMinimize). */
    public void minimizeCache() {
        checkThread();
        for (ObjectState s : cache.loaded()) {
            if (s.status == ObjectStatus.CLEAN && s.calls == 0) { // a running method reads its fields
                ghostAndClear(s);
                cache.ghosted(s);
            }
        }
    }

    public int cacheLoadedCount() {
        return cache.loadedCount();
    }

    public void setCacheSize(int size) {
        cache.setTarget(size);
    }

    public void setCacheSizeBytes(long bytes) {
        cache.setTargetBytes(bytes);
    }

    public long cacheLoadedBytes() {
        return cache.loadedBytes();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * The tid this session reads at, for {@code Database.pack} on another thread. Between transactions too:
     * the next transaction of an implicit-mode manager, and reads outside one in explicit mode, read at the
     * snapshot fixed when the last one ended. Only grows (a historical session's never moves), so a value
     * read on another thread is at most older than the current one.
     */
    public long snapshot() {
        return snapshot;
    }

    public boolean isHistorical() {
        return historicalTid >= 0;
    }

    public boolean isJoined() {
        return joined != null;
    }

    /**
     * Closes the session; returns false if it was closed already.
     *
     * @throws IllegalStateException while joined to a transaction with changes (ZODB-SEMANTICS 43)
     */
    public boolean close() {
        if (closed) {
            return false;
        }
        if (joined != null) {
            if (hasChanges()) {
                throw new IllegalStateException("cannot close a connection joined to a transaction with"
                        + " changes; commit or abort the transaction first");
            }
            // Leave the transaction: the session goes back to the pool and may serve another manager, or
            // this one again, in this very transaction; joined twice, it would begin and vote its storage
            // transaction twice at commit. Savepoint parts it left behind check isJoinedTo.
            joined.leave(this);
            for (ObjectState s : touched) {
                s.status = ObjectStatus.CLEAN;
            }
            touched.clear();
            endTransaction();
        }
        settleOutside();
        carried.clear();
        closed = true;
        manager.unregisterSynchronizer(this);
        cache.gc(this::ghostAndClear);
        return true;
    }

    /**
     * The database is closing: further calls fail. Called on the closing thread, maybe while this session's
     * own thread is in a transaction: the transaction's savepoint data stays with it (a commit then is
     * refused, and its abort deletes that data). Throwing it away here made a commit that raced the close
     * write only the changes made after the last savepoint.
     */
    public void release() {
        released = true;
        closed = true;
    }

    /** The oid of a persistent object of this session, empty when it has none yet. */
    public static OptionalLong oidOf(Object object) {
        if (object instanceof PersistentObject p) {
            ObjectState s = p.$jodbState();
            if (s != null && s.oid != ObjectState.NO_OID) {
                return OptionalLong.of(s.oid);
            }
        }
        return OptionalLong.empty();
    }

    // ---- ObjectJar ------------------------------------------------------------------------------------

    /**
     * The manager's own field, read on every call of every object, not a copy: a copy held by the connection
     * stayed the thread it last saw, so that thread's calls went on unchecked after another thread had taken
     * the manager over, until the new thread happened to call this connection.
     */
    @Override
    public Thread thread() {
        return manager.thread();
    }

    @Override
    public void checkCaller(ObjectState state) {
        Thread serving = manager.thread();
        if (refuses(serving)) {
            throw otherThread("a " + store.proxies.userClass(state.self.getClass()).getName() + " of a connection",
                    serving);
        }
    }

    /** Refuses a Connection operation from a thread other than the one the connection serves. */
    private void checkThread() {
        Thread serving = manager.thread();
        if (refuses(serving)) {
            throw otherThread("a connection", serving);
        }
    }

    /** Whether a call from this thread is refused while the manager serves {@code serving}. */
    private static boolean refuses(Thread serving) {
        return serving != null && serving != Thread.currentThread() && serving.isAlive();
    }

    /**
     * The refusal of a call from the wrong thread. A thread that has ended is not waited for: in ZODB terms
     * the connection is used by one thread at a time, and the next transaction started on the calling thread
     * takes the manager over.
     */
    private IllegalStateException otherThread(String what, Thread serving) {
        return new IllegalStateException(what + " serving thread '" + serving.getName() + "' was used from thread '"
                + Thread.currentThread().getName() + "'. A connection and its objects belong to the thread of its"
                + " TransactionManager, as in ZODB; the call was refused and changed nothing, and thread '"
                + serving.getName() + "' can go on. On this thread, open a connection of its own (Database.open())"
                + " and reach the object through it (from its root, or Connection.get with Persistence.oid);"
                + " pass oids or plain values between threads, not persistent objects.");
    }

    @Override
    public void beforeFirstCall(ObjectState state) {
        beforeFirstCall(state, false);
    }

    @Override
    public void beforeFirstWrite(ObjectState state) {
        beforeFirstCall(state, true);
    }

    private void beforeFirstCall(ObjectState state, boolean write) {
        checkOpen();
        boolean inTransaction = joined != null || canJoin(write);
        if (inTransaction) {
            join();
        }
        if (state.status == ObjectStatus.GHOST) {
            load(state);
        }
        if (inTransaction) {
            state.status = ObjectStatus.TOUCHED;
            touched.add(state);
        } else if (manager.isExplicit() && manager.current().isEmpty()) {
            state.status = ObjectStatus.TOUCHED; // until begin(), which settles it
            outside.add(state);
        } else if (outside.peekLast() != state) {
            // an after-commit hook, or a failed transaction not yet aborted: the object stays CLEAN, so that
            // its first call in the next transaction (which may begin implicitly, without a boundary) comes
            // here and joins; join() settles it first
            outside.add(state);
        }
        cache.used(state);
    }

    /**
     * False in explicit mode with no transaction begun, while the current transaction runs its
     * after-commit hooks (it has committed and can no longer be joined), and, for a call that may only
     * read, while the current transaction has failed (a commit, savepoint or rollback threw) and waits for
     * its abort: calls then only read (see {@link #settleOutside}). As in ZODB, objects can be read then,
     * e.g. to report what failed; a known write ({@code write}) joins, and the failed transaction refuses it.
     */
    private boolean canJoin(boolean write) {
        Optional<Transaction> current = manager.current();
        if (current.isEmpty()) {
            return !manager.isExplicit();
        }
        TransactionStatus status = current.get().status();
        return status != TransactionStatus.COMMITTED && (write || status != TransactionStatus.COMMIT_FAILED);
    }

    /**
     * Objects used outside a transaction (explicit mode) are compared with their saved bytes at the next
     * boundary: unchanged ones are clean again; changed ones lose the change (it belonged to no
     * transaction) and a warning is logged, so reading between transactions is free and writing is not
     * silently committed by a later, unrelated transaction.
     */
    private void settleOutside() {
        ObjectState s;
        boolean lost = false;
        while ((s = outside.poll()) != null) {
            if ((s.status != ObjectStatus.TOUCHED && s.status != ObjectStatus.CLEAN) || s.self.$jodbState() != s) {
                continue;
            }
            // changed to a value jodb cannot store: a change all the same, dropped like the others (thrown, it
            // failed begin() and left the object touched but queued nowhere, so never written again)
            byte[] bytes = writtenOrNull(s);
            if (bytes == null || s.forced || !Arrays.equals(bytes, s.saved)) {
                lost = true;
                s.status = ObjectStatus.GHOST;
                s.saved = null;
                s.forced = false;
                cache.ghosted(s);
            } else {
                s.status = ObjectStatus.CLEAN;
            }
        }
        if (!created.isEmpty() || !touched.isEmpty()) {
            lost = true;
            discard();
        }
        if (lost) {
            System.getLogger(Session.class.getName()).log(System.Logger.Level.WARNING, "objects changed"
                    + " outside a transaction (with an explicit-mode manager and no transaction begun, in an"
                    + " after-commit hook, or in a failed transaction before its abort) lost their changes;"
                    + " change persistent objects only inside a transaction");
        }
    }

    @Override
    public void activate(ObjectState state) {
        checkOpen();
        if (state.status == ObjectStatus.GHOST) {
            load(state);
        } else {
            cache.used(state); // read in this transaction: the cache's gc ghosts least recently used first
        }
    }

    @Override
    public String describe() {
        return "connection to " + storage.name();
    }

    // ---- RecordContext --------------------------------------------------------------------------------

    @Override
    public long entryId(String entry) {
        return entries.idOf(entry);
    }

    @Override
    public String entry(long id) {
        return entries.entryOf(id);
    }

    @Override
    public long referenceOid(Object persistent) {
        PersistentObject p = (PersistentObject) persistent;
        ObjectState s = p.$jodbState();
        if (s == null) {
            s = new ObjectState(p, this, ObjectStatus.UNSAVED);
            p.$jodbState(s);
        } else if (s.jar != this) {
            throw new IllegalStateException("a " + store.proxies.userClass(persistent.getClass()).getName()
                    + " of another " + s.jar.describe() + " is referenced from an object of this "
                    + describe() + "; objects cannot be shared between connections or databases: copy its"
                    + " values into a new object instead");
        }
        if (s.oid == ObjectState.NO_OID) {
            s.oid = storage.newOid();
            s.created = true;
            s.status = ObjectStatus.TOUCHED;
            created.put(s.oid, 0);
            cache.put(s);
            cache.used(s);
            touched.add(s);
        }
        return s.oid;
    }

    @Override
    public Object resolveReference(long oid, Class<?> type) {
        PersistentObject cached = cache.get(oid);
        if (cached != null) {
            return cached;
        }
        PersistentObject ghost = (PersistentObject) codec.newInstance(type);
        ObjectState s = new ObjectState(ghost, this, ObjectStatus.GHOST);
        s.oid = oid;
        s.created = !created.isEmpty() && created.containsKey(oid); // an earlier instance was collected after a savepoint
        ghost.$jodbState(s);
        cache.put(s);
        return ghost;
    }

    // ---- DataManager ----------------------------------------------------------------------------------

    @Override
    public void abort(Transaction txn) {
        if (!isJoinedTo(txn)) {
            return;
        }
        discard();
    }

    @Override
    public void tpcBegin(Transaction txn) {
        if (!isJoinedTo(txn)) {
            return;
        }
        // serialize before the storage transaction begins: the storage may serialize commits from here on
        flush();
        if (writes.isEmpty() && readChecks.isEmpty()) {
            return; // nothing changed: no storage transaction at all
        }
        if (released) {
            throw new IllegalStateException("the database was closed during this transaction: abort it, and"
                    + " open the database again to make the changes");
        }
        if (historicalTid >= 0) {
            throw new IllegalStateException("a historical connection (reading as of tid " + historicalTid
                    + ") is read-only: abort the transaction, and change objects through a connection made"
                    + " by Database.open()");
        }
        ObjectLayer.Writing writing = new ObjectLayer.Writing(txn, storage);
        Session other = ObjectLayer.WRITERS.putIfAbsent(writing, this);
        if (other != null && other != this) {
            throw new IllegalStateException("one transaction changed objects through two connections of one"
                    + " database (storage " + storage.name() + "), which cannot commit together; make the"
                    + " changes through one connection, or give each connection its own TransactionManager"
                    + " (ZODB refuses this too)");
        }
        writingFor = writing;
        storageTxn = storage.tpcBegin(new TransactionMetadata(txn.user(), txn.description()),
                new MapConflictResolver(store, this));
    }

    @Override
    public void commit(Transaction txn) {
        if (storageTxn == null || !isJoinedTo(txn)) {
            return;
        }
        flush(); // objects touched by other data managers' commit calls, if any
        entries.storeInto(storageTxn);
        StorageTransaction target = storageTxn;
        transfers.stored(writes.size());
        writes.forEach(target::store);
        readChecks.forEach((oid, serial) -> {
            if (!writes.contains(oid)) {
                storageTxn.checkCurrent(oid, serial);
            }
        });
    }

    @Override
    public void tpcVote(Transaction txn) {
        if (storageTxn == null || !isJoinedTo(txn)) {
            return;
        }
        try {
            long[] resolved = storageTxn.vote();
            // before finish makes our records visible: another thread's conflict resolution may decode them
            // the moment the storage lets it vote, before tpcFinish below publishes the entries
            entries.voted();
            for (long oid : resolved) {
                ObjectState s = stateOf(cache.get(oid));
                if (s != null) {
                    s.saved = null; // reloaded after finish: the storage merged it
                }
            }
        } catch (StorageConflictException e) {
            throw conflict(e);
        }
    }

    @Override
    public void tpcFinish(Transaction txn) {
        if (!isJoinedTo(txn)) {
            return;
        }
        if (storageTxn == null) {
            endTransaction();
            return;
        }
        long tid = storageTxn.finish();
        storageTxn = null;
        stopWriting();
        ownTid = tid;
        writes.forEachOid(oid -> {
            ObjectState s = stateOf(cache.get(oid));
            if (s != null) {
                s.created = false;
                if (s.status != ObjectStatus.GHOST) {
                    s.serial = tid;
                    if (s.saved == null) {
                        ghostAndClear(s);
                        cache.ghosted(s);
                    }
                }
            }
        });
        entries.committed();
        writes.clear();
        endTransaction();
    }

    @Override
    public void tpcAbort(Transaction txn) {
        if (!isJoinedTo(txn)) {
            return;
        }
        if (storageTxn != null) {
            storageTxn.abort();
            storageTxn = null;
        }
        stopWriting();
        discard();
    }

    @Override
    public String sortKey() {
        return sortKey;
    }

    @Override
    public DataManagerSavepoint savepoint() {
        Transaction owner = joined;
        if (owner == null) {
            return () -> { }; // asked by a transaction this session left (closed read-only): nothing of it here
        }
        checkOpen();
        flush();
        SavepointStates.Mark mark = writes.mark();
        LongLongTable createdAtMark = created.copy();
        cache.gc(this::ghostAndClear);
        return () -> {
            if (isJoinedTo(owner)) {
                rollback(mark, createdAtMark);
            }
        };
    }

    // ---- Synchronizer ---------------------------------------------------------------------------------

    @Override
    public void newTransaction(Transaction txn) {
        if (!closed && joined == null) {
            settleOutside();
            pollAtBoundary();
        }
    }

    @Override
    public void afterCompletion(Transaction txn) {
        if (joined == txn) {
            discard(); // a commit that failed and was not aborted yet leaves nothing behind either
        }
        if (!closed && joined == null) {
            pollAtBoundary();
            cache.gc(this::ghostAndClear);
        }
    }

    // ---- internals ------------------------------------------------------------------------------------

    /**
     * Whether {@code txn} is the transaction this session works for. A transaction keeps calling the
     * data managers it joined until it ends, also one that left it (closed read-only and pooled, perhaps
     * serving another manager now): those calls must not touch the session's current work.
     */
    private boolean isJoinedTo(Transaction txn) {
        return joined != null && joined == txn;
    }

    private void join() {
        if (joined == null) {
            if (!outside.isEmpty()) {
                settleOutside(); // objects read in an after-commit hook, before this transaction changes them
            }
            Transaction txn = manager.get();
            txn.join(this);
            joined = txn;
            ObjectState s;
            while ((s = carried.poll()) != null) {
                if (s.status == ObjectStatus.CLEAN && s.self.$jodbState() == s) {
                    s.status = ObjectStatus.TOUCHED; // its method ran on after the commit and may have changed it
                    touched.add(s);
                }
            }
        }
    }

    private void load(ObjectState state) {
        byte[] data;
        long serial;
        if (!writes.isEmpty() && writes.contains(state.oid)) { // most loads happen with nothing written
            data = writes.get(state.oid);
            serial = writes.serial(state.oid);
        } else {
            Revision r = loadAtSnapshot(state.oid);
            if (r == null) {
                throw new ObjectNotFoundException(state.oid, "object " + state.oid + " ("
                        + store.proxies.userClass(state.self.getClass()).getName() + ") has no record in"
                        + " this connection's snapshot (tid " + snapshot + "); it was removed by pack or"
                        + " never committed");
            }
            data = r.data();
            serial = r.tid();
        }
        fill(state, data, serial);
    }

    /**
     * The revision of {@code oid} in this session's snapshot. A historical session whose snapshot a pack
     * passed (one run after it was opened, or on the storage directly) is told so: its snapshot never moves,
     * so the storage's advice to start a new transaction cannot help it.
     */
    private Revision loadAtSnapshot(long oid) {
        transfers.loaded();
        try {
            return storage.loadAt(oid, snapshot);
        } catch (StorageException e) {
            long oldest;
            if (historicalTid < 0 || e instanceof CorruptStorageException
                    || historicalTid >= (oldest = storage.oldestSnapshot())) {
                throw e;
            }
            throw new StorageException("this historical connection reads as of tid " + historicalTid + ", which a"
                    + " pack has since passed: the oldest snapshot storage " + storage.name() + " keeps is tid "
                    + oldest + ", and the revisions of tid " + historicalTid + " are gone. Its snapshot never moves:"
                    + " close it, and open one at tid " + oldest + " or later (Database.openAt), or a current one"
                    + " (Database.open).",
                    e);
        }
    }

    private void fill(ObjectState state, byte[] data, long serial) {
        state.status = ObjectStatus.LOADING; // a call on it while its record is read must not load it again
        try {
            codec.readInto(data, state.self, this);
        } catch (RuntimeException | Error e) {
            state.status = ObjectStatus.GHOST;
            throw e;
        }
        cache.resized(state, data.length);
        state.saved = data;
        state.serial = serial;
        state.forced = false;
        state.status = ObjectStatus.CLEAN;
        cache.used(state);
    }

    /** Writes every touched object whose bytes changed into {@link #writes}. */
    private void flush() {
        ObjectState s;
        List<ObjectState> running = null;
        // peek, and remove only once written: an object whose serialization, or the write of whose record
        // (to the savepoint spill file), throws must stay queued, so that the abort that follows turns it
        // back into a ghost instead of leaving it changed and no longer tracked
        while ((s = touched.peek()) != null) {
            if (s.status != ObjectStatus.TOUCHED || s.self.$jodbState() != s) {
                touched.poll();
                continue; // ghosted or disowned meanwhile
            }
            byte[] bytes = codec.write(s.self, this);
            if (s.forced || s.saved == null || !Arrays.equals(bytes, s.saved)) {
                writes.put(s.oid, s.created ? Storage.NO_TID : s.serial, bytes);
                s.saved = bytes;
                cache.resized(s, bytes.length);
            }
            touched.poll();
            s.forced = false;
            if (s.calls > 0) {
                // a method of it is running (this is a savepoint taken inside it): what the method changes
                // after this point reaches no method entry, so the object stays touched
                if (running == null) {
                    running = new ArrayList<>();
                }
                running.add(s);
            } else {
                s.status = ObjectStatus.CLEAN;
            }
        }
        if (running != null) {
            touched.addAll(running);
        }
    }

    private boolean hasChanges() {
        if (!writes.isEmpty() || !created.isEmpty()) {
            return true;
        }
        for (ObjectState s : touched) {
            if (s.status == ObjectStatus.TOUCHED && s.self.$jodbState() == s
                    && (s.forced || s.saved == null || !Arrays.equals(writtenOrNull(s), s.saved))) {
                return true;
            }
        }
        return false;
    }

    /** The state of {@code s} as a record, or null when it holds a value jodb cannot store (a change too). */
    private byte[] writtenOrNull(ObjectState s) {
        try {
            return codec.write(s.self, this);
        } catch (RuntimeException unwritable) {
            return null;
        }
    }

    private void rollback(SavepointStates.Mark mark, LongLongTable createdAtMark) {
        checkOpen();
        for (ObjectState s : touched) {
            forget(s, createdAtMark);
        }
        touched.clear();
        writes.restore(mark, oid -> {
            ObjectState s = stateOf(cache.get(oid));
            if (s != null) {
                forget(s, createdAtMark);
            }
        });
        created.forEach((oid, unused) -> {
            if (!createdAtMark.containsKey(oid)) {
                ObjectState s = stateOf(cache.get(oid));
                if (s != null) {
                    disown(s);
                }
            }
        });
        created = createdAtMark.copy(); // the mark stays usable: a savepoint can be rolled back again
    }

    /** Throws away the transaction's changes: changed objects become ghosts, new ones are disowned. */
    private void discard() {
        for (ObjectState s : touched) {
            forget(s, null);
        }
        touched.clear();
        writes.forEachOid(oid -> {
            ObjectState s = stateOf(cache.get(oid));
            if (s != null) {
                forget(s, null);
            }
        });
        created.forEach((oid, unused) -> {
            ObjectState s = stateOf(cache.get(oid));
            if (s != null) {
                disown(s);
            }
        });
        if (storageTxn != null) {
            storageTxn.abort();
            storageTxn = null;
        }
        stopWriting();
        writes.clear();
        entries.clear();
        endTransaction();
    }

    /** This session's storage transaction has ended: another session may commit for the transaction. */
    private void stopWriting() {
        if (writingFor != null) {
            ObjectLayer.WRITERS.remove(writingFor, this);
            writingFor = null;
        }
    }

    private void endTransaction() {
        created.clear(); // never shared: savepoints and rollback copy it
        readChecks.clear();
        for (ObjectState s : touched) {
            if (s.status == ObjectStatus.TOUCHED && s.self.$jodbState() == s) {
                // kept touched by flush for a running method (a commit inside it): written already; what
                // the method changes from now on belongs to the next transaction this session joins
                s.status = ObjectStatus.CLEAN;
                carried.add(s);
            }
        }
        touched.clear();
        joined = null;
    }

    /**
     * Rolls one object back: disowned if it got its oid after the point rolled back to (not in
     * {@code keptCreations}; null keeps none), else a ghost.
     */
    private void forget(ObjectState s, LongLongTable keptCreations) {
        if (s.self.$jodbState() != s) {
            return;
        }
        if (s.created && (keptCreations == null || !keptCreations.containsKey(s.oid))) {
            disown(s);
        } else {
            s.status = ObjectStatus.GHOST;
            s.saved = null;
            s.forced = false;
            cache.ghosted(s);
        }
    }

    private void disown(ObjectState s) {
        if (s.status == ObjectStatus.GHOST && writes.contains(s.oid)) {
            // ghosted after a savepoint: give the application back the object's latest state
            codec.readInto(writes.get(s.oid), s.self, this);
        }
        cache.remove(s);
        s.self.$jodbState(null);
    }

    private void ghostAndClear(ObjectState s) {
        codec.clearFields(s.self);
        s.status = ObjectStatus.GHOST;
        s.saved = null;
    }

    /** Applies commits of other transactions since {@link #snapshot}: their objects become ghosts. */
    private void poll() {
        if (historicalTid >= 0) {
            return;
        }
        List<CommittedTransaction> after = storage.transactionsAfter(snapshot);
        for (CommittedTransaction t : after) {
            if (t.tid() != ownTid) {
                for (long oid : t.oids()) {
                    ObjectState s = stateOf(cache.get(oid));
                    if (s != null && s.status == ObjectStatus.CLEAN) {
                        s.status = ObjectStatus.GHOST;
                        s.saved = null;
                        cache.ghosted(s);
                    }
                }
            }
            snapshot = Math.max(snapshot, t.tid());
        }
    }

    /**
     * {@link #poll} at a transaction boundary. The boundary itself cannot fail: the transaction has ended
     * (an abort after a commit that broke the storage must still abort, and the manager's other data managers
     * must still get their next transaction), so a failing storage is asked again, and its failure thrown,
     * at this session's next use ({@link #checkOpen}).
     */
    private void pollAtBoundary() {
        try {
            poll();
            pollPending = false;
        } catch (RuntimeException e) {
            pollPending = true;
        }
    }

    private ObjectState own(Object object) {
        if (!(object instanceof PersistentObject p)) {
            throw new IllegalArgumentException("not a persistent object: " + object);
        }
        ObjectState s = p.$jodbState();
        if (s != null && s.jar != this) {
            throw new IllegalArgumentException("object belongs to another " + s.jar.describe());
        }
        return s;
    }

    private static ObjectState stateOf(PersistentObject p) {
        return p == null ? null : p.$jodbState();
    }

    private ConflictException conflict(StorageConflictException e) {
        PersistentObject p = cache.get(e.oid());
        String className = p == null ? "class unknown to this connection"
                : p instanceof MapChunk ? PersistentMap.class.getName() // a record of a large map's entries
                : store.proxies.userClass(p.getClass()).getName();
        ConflictException c = e instanceof DanglingReferenceException
                ? new ConflictException(e.oid(), className, e.readSerial(), e.currentSerial(),
                        "cannot commit a reference to oid " + e.oid() + " (" + className + "): " + e.getMessage())
                : e.isReadConflict()
                ? new ReadConflictException(e.oid(), className, e.readSerial(), e.currentSerial())
                : new ConflictException(e.oid(), className, e.readSerial(), e.currentSerial());
        c.initCause(e);
        return c;
    }

    private void checkOpen() {
        if (released) {
            throw new IllegalStateException("connection closed: its database was closed; open the database"
                    + " again");
        }
        if (closed) {
            throw new IllegalStateException("connection closed; open a new one with Database.open()");
        }
        if (pollPending && joined == null) {
            poll(); // throws the storage's failure again, while there is one
            pollPending = false;
        }
    }

    /** What this session loaded from and stored into its storage (the Connection's transfer counts). */
    public TransferCounter transferCounter() {
        return transfers;
    }

    /** For tests: the savepoint data spilled to a file. */
    boolean savepointDataSpilled() {
        return writes.hasSpilled();
    }

    /** For {@link MapConflictResolver}: the id of an entry this session's transaction created, or null. */
    Long pendingEntryId(String entry) {
        return entries.pendingId(entry);
    }

    /** For {@link MapConflictResolver}: an entry this session's transaction created. */
    String pendingEntry(long id) {
        return entries.pending(id);
    }
}
