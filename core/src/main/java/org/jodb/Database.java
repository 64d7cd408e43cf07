package org.jodb;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import org.jodb.object.ObjectStore;
import org.jodb.object.Session;
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
 * <p>Thread-safe: any thread may open and close connections.
 */
public final class Database implements AutoCloseable {
    /** Closed connections kept for reuse (ZODB's pool_size). */
    private static final int POOL_SIZE = 7;

    private final ObjectStore store;
    private final ArrayDeque<Session> pool = new ArrayDeque<>();
    private final Set<Session> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private long sessions;
    private boolean closed;

    private Database(Storage storage, Options options) {
        this.store = new ObjectStore(storage, options.cacheSize, options.spillThreshold, options.renames);
        store.initialize(new PersistentMap<String, Object>());
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

    public static Database open(Storage storage, Options options) {
        return new Database(Objects.requireNonNull(storage, "storage"), Objects.requireNonNull(options, "options"));
    }

    /**
     * The durable database at {@code path} (created if absent), through the {@link StorageProvider} that
     * jodb-storage registers with {@link ServiceLoader}.
     *
     * @throws IllegalStateException when no storage provider is on the class path
     */
    public static Database open(Path path) {
        return open(path, new Options());
    }

    public static Database open(Path path, Options options) {
        Objects.requireNonNull(path, "path");
        StorageProvider provider = findProvider();
        return open(provider.open(path), options);
    }

    private static StorageProvider findProvider() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : new ClassLoader[] {context, Database.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            Iterator<StorageProvider> it = ServiceLoader.load(StorageProvider.class, loader).iterator();
            if (it.hasNext()) {
                return it.next();
            }
        }
        throw new IllegalStateException("no durable storage on the class path: Database.open(Path) needs the"
                + " jodb-storage artifact (org.jodb:jodb-storage); add it as a dependency, or use"
                + " Database.inMemory() or Database.open(Storage)");
    }

    /** Options for opening a database. Mutable builder; each setter validates at once. */
    public static final class Options {
        private int cacheSize = 10_000;
        private long spillThreshold = 64L << 20;
        private final Map<String, String> renames = new HashMap<>();

        /**
         * Loaded objects each connection keeps in its cache between transactions (default 10,000); the
         * least recently used unchanged ones beyond it are turned back into ghosts.
         */
        public Options cacheSize(int objects) {
            if (objects < 0) {
                throw new IllegalArgumentException("cacheSize < 0: " + objects);
            }
            this.cacheSize = objects;
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
        Session session;
        synchronized (this) {
            checkOpen();
            session = pool.pollLast();
            if (session == null) {
                session = new Session(store, manager, ++sessions);
            }
            open.add(session);
        }
        if (session.manager() != manager || session.isClosed()) {
            session.attach(manager);
        }
        return new Connection(this, session);
    }

    /**
     * A read-only connection that sees the database as it was when transaction {@code tid} committed
     * (ZODB-SEMANTICS 45): its snapshot never moves, and committing a change through it fails.
     *
     * @param tid a tid of this database's storage, e.g. from {@code Storage.history}
     */
    public Connection openAt(TransactionManager manager, long tid) {
        Objects.requireNonNull(manager, "manager");
        Session session;
        synchronized (this) {
            checkOpen();
            session = Session.historical(store, manager, ++sessions, tid);
            open.add(session);
        }
        return new Connection(this, session);
    }

    /** Called by {@link Connection#close()}. */
    synchronized void released(Session session) {
        open.remove(session);
        if (!closed && !session.isHistorical() && pool.size() < POOL_SIZE) {
            pool.addLast(session);
        } else {
            session.release();
        }
    }

    /**
     * Removes old revisions and unreachable objects from the storage (see {@link Storage#pack}): keeps what
     * snapshots at or after the current last transaction can read.
     */
    public void pack() {
        checkOpen();
        store.storage().pack(store.storage().lastTid(), store.referenceFinder());
    }

    /** The storage under this database. */
    public Storage storage() {
        return store.storage();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Closes every connection and the storage. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Session s : open) {
                s.release();
            }
            open.clear();
            for (Session s : pool) {
                s.release();
            }
            pool.clear();
        }
        store.storage().close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("database closed; open it again");
        }
    }
}
