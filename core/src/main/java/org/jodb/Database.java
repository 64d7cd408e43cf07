package org.jodb;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import javax.management.ObjectName;
import org.jodb.internal.object.DatabaseCounters;
import org.jodb.internal.object.ObjectLayer;
import org.jodb.internal.object.Session;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageProvider;
import org.jodb.transaction.TransactionManager;

/**
 * A database: a storage plus what its connections share (the class registry, proxies, settings) and a
 * pool of closed connections whose caches stay warm. Open connections with {@link #open()}; each is used
 * by one thread at a time and sees one consistent snapshot per transaction.
 *
 * <pre>{@code
 * try (Database db = Database.inMemory()) {
 *     Connection conn = db.open();
 *     conn.root().put("greeting", "hello");
 *     Transactions.commit();
 * }
 * }</pre>
 *
 * <h2>Threads and locks</h2>
 * Thread-safe: any thread may open and close connections, pack and close the database. What a user's
 * transaction does never takes a lock (ZODB's optimistic concurrency):
 * <ul>
 *   <li>One monitor guards only the pool and the set of open connections ({@code OpenConnections}), for a few
 *       instructions inside {@link #open}, {@link Connection#close} and {@link #close}; no user code and
 *       no storage call runs while it is held.</li>
 *   <li>A connection reads without locks: every load is an as-of-snapshot read of the storage (MVCC),
 *       which never waits for a commit. Changes stay in the connection until the transaction commits.</li>
 *   <li>Commit: the connection serializes its changed objects at {@code tpcBegin}, before the storage is
 *       asked for anything. The storage holds its commit lock only from the connection's vote to its
 *       finish (or abort); in that window the only code that runs is jodb's conflict check and, when two
 *       transactions changed one {@link PersistentMap}, its merge (which calls {@code equals} and
 *       {@code hashCode} of the keys and values involved), plus the votes and finishes of other data
 *       managers joined to the same transaction whose sort key comes after the connection's. Before-commit hooks run before the
 *       lock is taken, after-commit hooks after it is released.</li>
 *   <li>Conflicts are found at vote and reported as {@link ConflictException}: a slow transaction never
 *       blocks another, it only risks a retry.</li>
 * </ul>
 */
public final class Database implements AutoCloseable {
    private final ObjectLayer layer;
    private final OpenConnections connections;
    /** The JMX name {@link #registerMBean} registered, null when none. */
    private ObjectName mbean;

    private Database(Storage storage, Options options) {
        this.layer = new ObjectLayer(storage, options.cacheSize, options.cacheSizeBytes, options.spillThreshold,
                options.renames);
        // a storage shared by several processes checks each vote's references against what their packs removed
        storage.useReferenceFinder(layer.referenceFinder());
        layer.initialize(new PersistentMap<String, Object>());
        this.connections = new OpenConnections(layer);
    }

    /** A database in memory ({@link MemoryStorage}); its content is gone when it is closed. */
    public static Database inMemory() {
        return open(new MemoryStorage(), new Options());
    }

    /** A database in memory, with options. */
    public static Database inMemory(Options options) {
        return open(new MemoryStorage(), options);
    }

    /** A database on {@code storage}; creates the root if the storage is empty. */
    public static Database open(Storage storage) {
        return open(storage, new Options());
    }

    /** A database on {@code storage} with {@code options}; creates the root if the storage is empty. */
    public static Database open(Storage storage, Options options) {
        return new Database(Objects.requireNonNull(storage, "storage"), Objects.requireNonNull(options, "options"));
    }

    /**
     * The durable database at {@code path} (created if absent), through the {@link StorageProvider} that
     * jodb-storage registers with {@link ServiceLoader} (or the one that the system property
     * {@value StorageProvider#PATH_PROVIDER_PROPERTY} names, when more than one opens directories).
     *
     * @throws IllegalStateException when no storage provider is on the class path, or none of the class
     *         that property names
     */
    public static Database open(Path path) {
        return open(path, new Options());
    }

    /**
     * The durable database at {@code path} with {@code options}; see {@link #open(Path)}.
     *
     * @throws IllegalStateException when no storage provider is on the class path
     */
    public static Database open(Path path, Options options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        return openOwned(StorageProviders.forPath().open(path), options);
    }

    /**
     * The database a storage URL names, found by asking each {@link StorageProvider} on the class path
     * ({@link ServiceLoader}) whether it accepts the URL: {@code jdbc:postgresql://host:5432/db?user=app}
     * with jodb-postgres, {@code file:/path/to/dir} with jodb-storage. The storage is created on first use
     * and closed with the database.
     *
     * @throws IllegalArgumentException when no provider on the class path accepts {@code url}, or it is no
     *         URL: the message lists the providers found and points at {@link #open(Path)} for directories
     */
    public static Database open(String url) {
        return open(url, new Options());
    }

    /** The database a storage URL names, with {@code options}; see {@link #open(String)}. */
    public static Database open(String url, Options options) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(options, "options");
        return openOwned(StorageProviders.forUrl(url.strip()).open(url.strip()), options);
    }

    /** A database on a storage this class opened, closing the storage when the database cannot be made. */
    private static Database openOwned(Storage storage, Options options) {
        try {
            return open(storage, options);
        } catch (RuntimeException | Error failure) {
            // the storage is ours: leaving it open would keep its lock and refuse every later open
            try {
                storage.close();
            } catch (RuntimeException closing) {
                failure.addSuppressed(closing);
            }
            throw failure;
        }
    }

    /**
     * Options for opening a database. A mutable builder; each setter validates at once. Not thread-safe:
     * configure it on one thread; {@code Database.open} copies the values, so later changes to the options
     * do not affect a database already open.
     */
    public static final class Options {
        private int cacheSize = 10_000;
        private long cacheSizeBytes;
        private long spillThreshold = 64L << 20;
        private final Map<String, String> renames = new HashMap<>();

        /**
         * Loaded objects each connection keeps in its cache between transactions (default 10,000); the
         * least recently used unchanged ones beyond it are turned back into ghosts. The pieces of jodb's
         * collections (the buckets and branches of a {@link PersistentTreeMap} or {@link PersistentTreeSet},
         * the chunks of a large {@link PersistentMap} and the nodes of its hash index) count like any object,
         * but go after the others as long as they are at most half of this number: a lookup passes the same
         * few of them to reach any of many objects, so they are kept in preference to the objects they lead
         * to. Beyond that half, their least recently used go first. Either way the loaded objects of a
         * connection number at most this many between transactions (more during one: nothing it changed or
         * is running a method of is turned into a ghost).
         */
        public Options cacheSize(int objects) {
            if (objects < 0) {
                throw new IllegalArgumentException("cacheSize < 0: " + objects);
            }
            this.cacheSize = objects;
            return this;
        }

        /**
         * Estimated bytes of loaded objects each connection keeps in its cache between transactions
         * (default 0: no byte target, only {@link #cacheSize}); beyond it, the least recently used
         * unchanged objects are turned back into ghosts (the pieces of collections last, as long as they are
         * at most half of it, as for {@link #cacheSize}). An object's estimate is the size of its record
         * when last loaded or saved (values inside it included, persistent objects it references not), so
         * the heap used is a small multiple of it. ZODB's {@code cache_size_bytes}.
         */
        public Options cacheSizeBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("cacheSizeBytes < 0: " + bytes);
            }
            this.cacheSizeBytes = bytes;
            return this;
        }

        /**
         * Bytes of savepoint data a transaction keeps on the heap (default 64 MiB); beyond it, savepoint
         * data goes to a temporary memory-mapped file, deleted at commit, abort and close.
         */
        public Options savepointSpillThreshold(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("savepointSpillThreshold < 0: " + bytes);
            }
            this.spillThreshold = bytes;
            return this;
        }

        /**
         * Loads records stored under class name {@code storedName} as {@code newName} (a class that was
         * renamed or moved). JShell classes are stored under their declared name, e.g. {@code Account}.
         */
        public Options renameClass(String storedName, String newName) {
            Objects.requireNonNull(storedName, "storedName");
            Objects.requireNonNull(newName, "newName");
            renames.put(storedName, newName);
            return this;
        }

        /** Loads records stored under class name {@code storedName} as {@code newClass}. */
        public Options renameClass(String storedName, Class<?> newClass) {
            return renameClass(storedName, newClass.getName());
        }
    }

    /** A connection joined to the calling thread's transaction manager ({@code Transactions.manager()}). */
    public Connection open() {
        return open(TransactionManager.threadLocal());
    }

    /** A connection whose transactions are those of {@code manager}. */
    public Connection open(TransactionManager manager) {
        Objects.requireNonNull(manager, "manager");
        Session session = connections.take(manager);
        try {
            if (session.manager() != manager || session.isClosed()) {
                session.attach(manager);
            }
            return new Connection(this, session);
        } catch (RuntimeException | Error failure) {
            connections.abandon(session);
            throw failure;
        }
    }

    /**
     * A read-only connection that sees the database as it was when transaction {@code tid} committed
     * (ZODB's {@code DB.open(at=...)}): its snapshot never moves, and committing a change through it fails.
     *
     * <p>While it is open, {@link #pack} keeps what it reads. A tid that an earlier pack already passed is
     * refused: the storage no longer has what that snapshot needs ({@link Storage#oldestSnapshot}).
     *
     * @param tid a tid of this database's storage, e.g. from {@code Storage.history}
     * @throws IllegalArgumentException when {@code tid} is older than the oldest snapshot the storage keeps
     */
    public Connection openAt(TransactionManager manager, long tid) {
        Objects.requireNonNull(manager, "manager");
        Session session = connections.historical(manager, tid);
        try {
            // asked once registered: a pack that starts from here on keeps this snapshot
            long oldest = layer.storage().oldestSnapshot();
            if (tid < oldest) {
                throw new IllegalArgumentException("cannot open a historical connection at tid " + tid + ": a pack"
                        + " already removed revisions that snapshot needs, and the oldest snapshot storage "
                        + layer.storage().name() + " keeps is tid " + oldest + ". Open at tid " + oldest + " or later;"
                        + " to read old snapshots after packing, open their connections before pack runs.");
            }
            return new Connection(this, session);
        } catch (RuntimeException | Error failure) {
            connections.abandon(session);
            throw failure;
        }
    }

    /** Called by {@link Connection#close()}. */
    void released(Session session) {
        connections.released(session);
    }

    /**
     * Removes old revisions and unreachable objects from the storage (see {@link Storage#pack}): keeps what
     * snapshots at or after the current last transaction can read, and what the snapshots of this
     * database's open connections can read, historical ones ({@link #openAt}) included. A transaction that
     * began before the pack keeps reading its snapshot while and after pack runs; so does the next
     * transaction of a connection between transactions, which reads at the snapshot fixed when its last one
     * ended (in implicit mode) until its manager's {@code begin()}. Pack therefore keeps what was committed
     * since the oldest open connection's snapshot: to let it drop more, close idle connections (closed ones
     * wait in the pool, which holds nothing back) or let them begin a new transaction. A transaction none of
     * whose revisions is kept goes with them: the storage's {@link Storage#history} no longer lists it.
     */
    public void pack() {
        checkOpen();
        // lastTid first: a connection opened after the loop below starts at or after it (ZODB packs by time
        // and leaves old snapshots to fail with ReadConflictError; here no open connection's snapshot breaks)
        long packTid = connections.oldestSnapshot(layer.storage().lastTid());
        layer.counters().packStarted();
        try {
            layer.storage().pack(packTid, layer.referenceFinder());
        } finally {
            layer.counters().packEnded();
        }
    }

    /**
     * What this database did since it was opened, as of now: commits, conflicts, the retries and give-ups of
     * {@code TransactionManager.run}, records loaded and stored, cache hits and size, connections, packs. Cheap
     * (the counters are summed; the monitor of the open connections is held for a moment); works after close.
     */
    public DatabaseStatistics statistics() {
        DatabaseCounters c = layer.counters();
        return new DatabaseStatistics(c.commits(), c.conflicts(), c.retries(), c.giveUps(), c.loads(), c.stores(),
                c.hits(), connections.cachedObjects(), connections.openCount(), c.packs(), c.packsRunning());
    }

    /**
     * Registers this database's statistics with the platform's JMX server as a {@link DatabaseMXBean} named
     * {@code org.jodb:type=Database,name="<storage name>"}, for JConsole, VisualVM or a metrics agent;
     * unregistered when the database closes.
     *
     * @return the name it was registered under
     * @throws IllegalStateException when that name is taken (another database on a storage of the same name):
     *         use {@link #registerMBean(String)} with a name of your own
     */
    public ObjectName registerMBean() {
        return registerMBean(storage().name());
    }

    /**
     * Registers this database's statistics as a {@link DatabaseMXBean} named
     * {@code org.jodb:type=Database,name="<name>"}; see {@link #registerMBean()}.
     *
     * @throws IllegalStateException when that name is taken, or this database already registered one
     */
    public ObjectName registerMBean(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (this) {
            checkOpen();
            if (mbean != null) {
                throw new IllegalStateException("this database is registered with JMX already, as " + mbean
                        + "; it is unregistered when the database closes");
            }
            mbean = DatabaseBeans.register(this, name);
            return mbean;
        }
    }

    // ---- transactional undo ------------------------------------------------------------------------------

    /**
     * The transactions that {@link #undo(long)} can undo, newest first, at most {@code max} of them (ZODB's
     * {@code undoLog}): every committed transaction after the last pack the storage knows of. Listed does not
     * mean undoable as is: an undo fails when later transactions changed the same objects.
     *
     * <p>A file store learns of a pack run before it was last opened only when a read meets what that pack
     * removed: until then this may list older transactions, whose undo then fails with an {@link UndoException}
     * that says so.
     *
     * @throws IllegalArgumentException when {@code max} is negative
     */
    public List<TransactionDescription> undoLog(int max) {
        return undoLog(max, t -> true);
    }

    /**
     * The newest {@code max} transactions of {@link #undoLog(int)} that {@code filter} accepts, e.g. one user's:
     * {@code db.undoLog(20, t -> t.user().equals("bob"))}. The storage's log is read newest first until {@code max}
     * are found or the log ends: a filter that accepts few reads far back.
     */
    public List<TransactionDescription> undoLog(int max, Predicate<? super TransactionDescription> filter) {
        Objects.requireNonNull(filter, "filter");
        checkOpen();
        return UndoLog.read(layer.storage(), max, filter);
    }

    /**
     * Undoes the committed transaction {@code tid} in the calling thread's current transaction
     * ({@code Transactions.manager()}); see {@link #undo(TransactionManager, long)}.
     */
    public void undo(long tid) {
        undo(TransactionManager.threadLocal(), tid);
    }

    /**
     * Undoes the committed transaction {@code tid} (from {@link #undoLog}) in {@code manager}'s current
     * transaction (ZODB's {@code DB.undo}): for each object that transaction wrote, the state it had just before
     * becomes a change of the current transaction, which commits or aborts it with everything else it did;
     * savepoints roll it back like any change. Once committed, connections see the old states at their next
     * transaction, as for any commit. Nothing is written to the storage before that commit.
     *
     * <ul>
     *   <li>The change is made through a connection of {@code manager} on this database (the one in the
     *       transaction, if several), or through one opened for it and closed when the transaction ends. A loaded
     *       object it changes shows the old state at its next call.</li>
     *   <li>An object the undone transaction <b>created</b> is left as it is: the objects that referred to it
     *       get their earlier states, which do not, so it becomes unreachable and the next pack removes it.
     *       (An object a later transaction linked stays, with its state.)</li>
     *   <li>An object a <b>later transaction changed</b> is merged when its class can merge two changes, as for
     *       concurrent commits: for a {@link PersistentMap} or a B-tree, the undo's change to the keys the
     *       undone transaction changed is merged with later changes to other keys. Otherwise the undo fails with
     *       an {@link UndoException} naming the objects and the later transactions, and nothing is written.</li>
     *   <li>Undoing an undo restores what the first undo took back (the undo is a transaction like any other).
     *       Undoing a transaction twice fails: its objects changed since (by the first undo).</li>
     *   <li>The current transaction must not have changed an object the undone transaction wrote (undo first,
     *       or in a transaction of its own); a commit that another thread makes meanwhile to one of those objects
     *       is found at commit, as a {@link ConflictException} whose retry sees it.</li>
     * </ul>
     *
     * @throws UndoException when {@code tid} names no transaction of the storage, a pack removed the states
     *         before it, or later changes block it; nothing was written and the transaction goes on
     * @throws org.jodb.transaction.TransientException when {@code tid} committed after the current transaction's
     *         snapshot: undo it in a new transaction
     * @throws org.jodb.transaction.NoTransactionException when {@code manager} is explicit and no transaction was
     *         begun
     */
    public void undo(TransactionManager manager, long tid) {
        Objects.requireNonNull(manager, "manager");
        Session session = connections.writerOf(manager);
        Connection temporary = null;
        if (session == null) {
            temporary = open(manager);
            session = connections.writerOf(manager); // the session just opened: no other of this manager is open
        }
        try {
            session.undo(tid);
        } finally {
            if (temporary != null) {
                ClosingAtTransactionEnd.close(temporary, session, manager);
            }
        }
    }

    /** The storage under this database. */
    public Storage storage() {
        return layer.storage();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return connections.isClosed();
    }

    /** Closes every connection and the storage. Idempotent. */
    @Override
    public void close() {
        if (!connections.close()) {
            return;
        }
        synchronized (this) {
            if (mbean != null) {
                DatabaseBeans.unregister(mbean);
                mbean = null;
            }
        }
        layer.storage().close();
    }

    private void checkOpen() {
        connections.checkOpen();
    }
}
