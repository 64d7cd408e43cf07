package org.jodb.internal.object;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import org.jodb.internal.serialization.ClassNames;
import org.jodb.internal.serialization.LazyReference;
import org.jodb.internal.serialization.RecordContext;
import org.jodb.spi.StorageView;
import org.jodb.transaction.TransactionManager;

/**
 * The engine behind one {@code Connection}: the object every one of its persistent objects belongs to
 * ({@link ObjectJar}) and the serializer's context ({@link RecordContext}). It holds the connection's parts
 * and passes each call to the one whose job it is:
 * <ul>
 *   <li>{@link Snapshot}: the committed state it reads, moved at transaction boundaries;</li>
 *   <li>{@link ObjectLoader}: making and filling objects from records, ghosts;</li>
 *   <li>{@link ChangeTracker}: what the transaction changed, savepoints ({@link SessionSavepoint}), rollback;</li>
 *   <li>{@link SessionDataManager}: its part in transactions (the data manager);</li>
 *   <li>{@link TransactionBoundaries}: what happens when its manager begins or ends a transaction;</li>
 *   <li>{@link ObjectCache}: the objects by oid, and which stay loaded.</li>
 * </ul>
 * Threads: one thread at a time, like the connection: the thread its manager serves
 * ({@link TransactionManager#thread()}). Objects refuse calls from others ({@link #checkCaller}), and so do
 * the Connection's operations, unless that thread has ended. A refused call has changed nothing: the serving
 * thread's transaction goes on.
 */
public final class Session implements ObjectJar, RecordContext {
    private final ObjectLayer layer;
    /** Volatile: {@link #checkCaller} reads it on whatever thread calls one of this session's objects. */
    private volatile TransactionManager manager;
    private final SessionLife life = new SessionLife();
    private final ObjectCache cache;
    private final Ghosts ghosts;
    private final PendingEntries entries;
    private final Snapshot snapshot;
    private final ChangeTracker changes;
    private final ObjectLoader loader;
    private final SessionDataManager commit;
    private final TransactionBoundaries boundaries;
    /** Whether {@link #attach} ran once: a later one (reopened from the pool) moves the snapshot first. */
    private boolean attachedBefore;
    /** What this session loaded and stored (the Connection's transfer counts), counted by Snapshot and ChangeTracker. */
    private final TransferCounter transfers;

    /** A historical session: reads as of {@code atTid} forever and refuses to commit changes. */
    public static Session historical(ObjectLayer layer, TransactionManager manager, long number, long atTid) {
        return new Session(layer, manager, number, layer.storage.openView(atTid), true);
    }

    /** A session reading the newest commit, moving on at each transaction boundary. */
    public Session(ObjectLayer layer, TransactionManager manager, long number) {
        this(layer, manager, number, layer.storage.openView(), false);
    }

    private Session(ObjectLayer layer, TransactionManager manager, long number, StorageView view, boolean historical) {
        this.layer = layer;
        String sortKey = "jodb:" + layer.storage.name() + ":" + System.identityHashCode(layer) + ":" + number;
        this.cache = new ObjectCache(layer.cacheSize, layer.cacheSizeBytes);
        this.transfers = new TransferCounter(layer.counters);
        this.entries = new PendingEntries(layer.registry, layer.storage);
        this.ghosts = new Ghosts(layer.codec, cache);
        this.snapshot = new Snapshot(view, layer.storage.name(), historical, cache, ghosts, transfers);
        this.changes = new ChangeTracker(layer, cache, ghosts, this, transfers);
        this.loader = new ObjectLoader(layer, cache, snapshot, changes, this, this);
        this.commit = new SessionDataManager(layer, cache, changes, entries, snapshot, life, sortKey);
        this.boundaries = new TransactionBoundaries(life, changes, commit, snapshot, cache, ghosts,
                layer.counters);
        attach(manager);
    }

    /** Binds this (closed or new) session to a manager: fresh snapshot, invalidations applied. */
    public void attach(TransactionManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
        life.opened();
        if (attachedBefore) {
            snapshot.poll();
        }
        attachedBefore = true;
        manager.registerSynchronizer(boundaries);
    }

    public TransactionManager manager() {
        return manager;
    }

    // ---- the Connection's operations ----------------------------------------------------------------

    public Object get(long oid) {
        checkOpen();
        checkThread();
        return loader.get(oid);
    }

    public <T> T create(Class<T> type, Object[] args) {
        checkOpen();
        checkThread();
        ClassNames.stableName(type); // the newest definition of a (JShell) class is the one records load into
        T object = layer.proxies.instantiate(type, args);
        layer.codec.usedAsPersistent(type); // a plain instance of it stored as a value is then reported
        PersistentObject p = (PersistentObject) object;
        p.$jodbState(new ObjectState(p, this, ObjectStatus.UNSAVED));
        return object;
    }

    /**
     * Loads the ghosts of this session among {@code objects} in one storage call and fills them (they become
     * up to date, not touched); see {@code Connection.prefetch}. Every object is checked before anything is
     * loaded.
     *
     * @throws IllegalArgumentException when one of them is a persistent object of another connection
     */
    public void prefetch(Iterable<?> objects) {
        checkOpen();
        checkThread();
        Objects.requireNonNull(objects, "objects");
        Set<ObjectState> ghosts = new LinkedHashSet<>(); // by identity: a state does not override equals
        for (Object o : objects) {
            if (!(o instanceof PersistentObject p) || p.$jodbState() == null) {
                continue; // a value, or a persistent object that was never stored: nothing to load
            }
            ObjectState s = p.$jodbState();
            if (s.jar != this) {
                String type = layer.proxies.userClass(o.getClass()).getName();
                throw new IllegalArgumentException("cannot prefetch a " + type + " of another " + s.jar.describe()
                        + " through this " + describe() + ": prefetch it through its own connection");
            }
            if (s.status == ObjectStatus.GHOST && s.oid != ObjectState.NO_OID) {
                ghosts.add(s);
            }
        }
        if (!ghosts.isEmpty()) {
            loader.loadAll(new ArrayList<>(ghosts));
        }
    }

    /** Makes commit fail with a ReadConflictException if {@code object} changed since it was read. */
    public void readCurrent(Object object) {
        checkOpen();
        checkThread();
        ObjectState s = own(object);
        if (s == null || s.oid == ObjectState.NO_OID || s.status == ObjectStatus.GHOST || s.serial == 0) {
            return; // nothing was read, nothing to check (a ghost records nothing)
        }
        commit.join(manager);
        changes.readCurrent(s);
    }

    /**
     * Writes the undo of committed transaction {@code tid} in the manager's current transaction (joining it,
     * beginning one in implicit mode), as {@link TransactionUndo} describes; see {@code Database.undo}.
     *
     * @throws org.jodb.UndoException when it cannot be undone; nothing was written
     * @throws org.jodb.transaction.TransientException when {@code tid} committed after this transaction's snapshot
     * @throws IllegalStateException for a historical (read-only) session
     */
    public void undo(long tid) {
        checkOpen();
        checkThread();
        if (snapshot.isHistorical()) {
            throw new IllegalStateException("a historical connection (reading as of tid " + snapshot.tid() + ") is"
                    + " read-only and cannot undo: undo through a connection made by Database.open()");
        }
        commit.join(manager);
        changes.flush(); // what this transaction changed so far is known, and objects only read are clean again
        new TransactionUndo(layer, snapshot, changes, entries, this).undo(tid);
    }

    /** Whether this session has joined a transaction of its manager. */
    public boolean isJoined() {
        return changes.joined() != null;
    }

    /** Applies other transactions' commits now; refused while this connection is in a transaction. */
    public void sync() {
        checkOpen();
        checkThread();
        if (changes.joined() != null) {
            throw new IllegalStateException("sync() inside a transaction: commit or abort it first (the"
                    + " snapshot of a transaction stays fixed)");
        }
        // objects read between transactions must be settled first: poll only ghosts clean objects, and an
        // invalidation skipped here would be lost for good once the snapshot has moved past it
        changes.settleOutside(commit::discard);
        snapshot.poll();
    }

    /** Ghosts every unchanged loaded object (ZODB's cacheMinimize). */
    public void minimizeCache() {
        checkThread();
        for (ObjectState s : cache.loaded()) {
            if (s.status == ObjectStatus.CLEAN && s.calls == 0) { // a running method reads its fields
                ghosts.unload(s);
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
        return life.isClosed();
    }

    /** The tid this session reads at; see {@link Snapshot#tid()}. Safe to read from any thread. */
    public long snapshot() {
        return snapshot.tid();
    }

    public boolean isHistorical() {
        return snapshot.isHistorical();
    }

    /**
     * Closes the session; returns false if it was closed already.
     *
     * @throws IllegalStateException while joined to a transaction with changes: commit or abort it first
     */
    public boolean close() {
        if (life.isClosed()) {
            return false;
        }
        if (changes.joined() != null) {
            if (changes.hasChanges()) {
                throw new IllegalStateException("cannot close a connection joined to a transaction with"
                        + " changes; commit or abort the transaction first");
            }
            commit.leave();
        }
        changes.settleOutside(commit::discard);
        changes.dropCarried();
        life.closed();
        manager.unregisterSynchronizer(boundaries);
        cache.gc(ghosts::unload);
        return true;
    }

    /**
     * The database is closing, or dropped this session: further calls fail. Called on the closing thread,
     * maybe while this session's own thread is in a transaction: the transaction's savepoint data stays with
     * it (a commit then is refused, and its abort deletes that data). Throwing it away here made a commit that
     * raced the close write only the changes made after the last savepoint.
     */
    public void release() {
        life.released();
        snapshot.close();
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

    // ---- ObjectJar: what its objects ask ------------------------------------------------------------

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
        if (ServingThread.refuses(serving)) {
            throw ServingThread.refusal("a " + layer.proxies.userClass(state.self.getClass()).getName()
                    + " of a connection", serving);
        }
    }

    @Override
    public void beforeFirstCall(ObjectState state) {
        beforeFirstCall(state, false);
    }

    @Override
    public void beforeFirstWrite(ObjectState state) {
        beforeFirstCall(state, true);
    }

    /** A method is about to run: join the transaction if allowed, load a ghost, mark the object touched. */
    private void beforeFirstCall(ObjectState state, boolean write) {
        checkOpen();
        boolean inTransaction = commit.joinIfAllowed(manager, write);
        if (state.status == ObjectStatus.GHOST) {
            loader.load(state);
        }
        changes.called(state, inTransaction, manager);
        cache.used(state);
    }

    @Override
    public void activate(ObjectState state) {
        checkOpen();
        if (state.status == ObjectStatus.GHOST) {
            loader.load(state);
        } else {
            cache.used(state); // read in this transaction: the cache's gc ghosts least recently used first
        }
    }

    /**
     * A container's hint ({@link ObjectState#prefetchAlong}): the objects load as {@link #prefetch} loads them.
     * A failure is not the container's: the objects stay ghosts, and each reports it when it is used.
     */
    @Override
    public void prefetchHint(Iterable<?> objects) {
        try {
            prefetch(objects);
        } catch (RuntimeException e) {
            // a hint only: the container's own operation goes on, and the objects load one by one if used
        }
    }

    @Override
    public boolean loadsAreRemote() {
        return layer.storage.loadsAreRemote();
    }

    @Override
    public String describe() {
        return "connection to " + layer.storage.name();
    }

    // ---- RecordContext: what the serializer asks ----------------------------------------------------

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
        if (s != null && s.jar != this) {
            throw new IllegalStateException("a " + layer.proxies.userClass(persistent.getClass()).getName()
                    + " of another " + s.jar.describe() + " is referenced from an object of this "
                    + describe() + "; objects cannot be shared between connections or databases: copy its"
                    + " values into a new object instead");
        }
        return changes.adopt(p, this);
    }

    @Override
    public Object resolveReference(long oid, Class<?> type) {
        return loader.resolve(oid, type);
    }

    /**
     * Always a {@link LazyReference}, even for an object this connection has cached: the entries of a chunk
     * that hold no instance of any connection can be shared with the others ({@link SharedRevisions}).
     */
    @Override
    public Object lazyReference(long oid, Class<?> type) {
        return new LazyReference(oid, type);
    }

    // ---- internals ----------------------------------------------------------------------------------

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

    /** Refuses a Connection operation from a thread other than the one the connection serves. */
    private void checkThread() {
        Thread serving = manager.thread();
        if (ServingThread.refuses(serving)) {
            throw ServingThread.refusal("a connection", serving);
        }
    }

    private void checkOpen() {
        life.checkOpen();
        if (changes.joined() == null) {
            snapshot.retryFailedPoll(); // throws the storage's failure again, while there is one
        }
    }

    /** Instances this connection's cache knows, ghosts included: for tests of what a load makes. */
    public int cachedInstances() {
        return cache.size();
    }

    /**
     * How many loaded objects this session's cache held at its last transaction boundary: safe to read from
     * any thread (the cache itself belongs to the session's thread).
     */
    public int cachedObjectsAtBoundary() {
        return boundaries.loadedAtBoundary();
    }

    /** What this session loaded from and stored into its storage (the Connection's transfer counts). */
    public TransferCounter transferCounter() {
        return transfers;
    }
}
