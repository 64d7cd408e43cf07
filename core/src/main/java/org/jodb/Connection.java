package org.jodb;

import java.util.Objects;
import org.jodb.internal.object.Session;
import org.jodb.spi.Storage;
import org.jodb.transaction.TransactionManager;

/**
 * A view of a {@link Database} for one thread at a time: its objects (one instance per oid), its
 * snapshot (fixed at each transaction boundary of its {@link TransactionManager}), and its changes, which
 * join the manager's current transaction at the first method call on one of its objects.
 *
 * <h2>Transactions</h2>
 * The first method call on one of its objects in a transaction joins the connection to the manager's
 * current transaction (in implicit mode, {@code get()} starts one). With an explicit-mode manager and no
 * transaction begun, methods still run, as reads: a change made there belongs to no transaction and is
 * dropped (with a logged warning) at the next {@code begin()}.
 *
 * <h2>Threads</h2>
 * Not thread-safe: it serves one thread at a time, the thread of its manager
 * ({@link TransactionManager#thread()}), and so does every object it loaded or created. A call from another
 * thread (a method of one of its objects, also a read; {@link #root()}, {@link #get}, {@link #create},
 * {@link #prefetch}, {@link #readCurrent}, {@link #sync}, {@link #cacheMinimize}) throws
 * {@link IllegalStateException} naming both threads, before it does anything: the serving thread's transaction
 * goes on untouched. Once the
 * serving thread has ended, another may go on. Give each thread a connection of its own (they are pooled by
 * the database, so opening and closing one is cheap; one opened again from the pool serves its new thread),
 * and pass oids or plain values between threads. A connection holds no lock while a transaction runs: it
 * reads its snapshot without locking, and its commit waits only for the storage's short commit lock
 * (see {@link Database}, "Threads and locks").
 */
public final class Connection implements AutoCloseable {
    private final Database database;
    private final Session session;
    private boolean closed;

    Connection(Database database, Session session) {
        this.database = database;
        this.session = session;
    }

    /** The root map (oid 0): the entry point to every stored object. */
    @SuppressWarnings("unchecked")
    public PersistentMap<String, Object> root() {
        return (PersistentMap<String, Object>) session.get(Storage.ROOT_OID);
    }

    /**
     * A new tracked instance of {@code type}, made by the constructor that accepts {@code constructorArgs}.
     * It becomes persistent (gets an oid and is written) once it is reachable from the root at a
     * savepoint or commit.
     *
     * <p>The instance is a subclass proxy: each of its methods first loads the object if it is a ghost and
     * marks it touched, and a method that takes a parameter which could hold an instance of the class
     * ({@code equals(Object)}, {@code compareTo(T)}, {@code transferTo(Account other)}) does the same for
     * its persistent arguments. <b>Limitation:</b> code that reads or writes the private fields of
     * <em>another</em> instance reached in any other way (a field such as {@code partner.balance}, an
     * element of a collection, a return value) bypasses that instance's proxy: if it is a ghost, a read
     * sees its empty fields (0, null), and a write is not found and is lost at commit. Remedy: call a
     * method of the other instance ({@code partner.balance()}, {@code partner.deposit(x)}). See
     * {@code core/LIMITATIONS.md}.
     *
     * <p>Transient fields are never stored; they are reset to their default whenever the object becomes a
     * ghost or its state is loaded again (ZODB's {@code _v_} attributes).
     *
     * @throws UnsupportedClassException when the class cannot be tracked (final class or public method,
     *         non-private instance field, no fitting constructor); the message says what to change
     */
    public <T> T create(Class<T> type, Object... constructorArgs) {
        checkOpen();
        Objects.requireNonNull(type, "type");
        return session.create(type, constructorArgs == null ? new Object[] {null} : constructorArgs);
    }

    /**
     * The object with {@code oid}; the same instance every time within this connection.
     *
     * @throws ObjectNotFoundException when no such object exists in this connection's snapshot
     */
    public Object get(long oid) {
        checkOpen();
        return session.get(oid);
    }

    /** {@link #get(long)}, cast to {@code type}. */
    public <T> T get(long oid, Class<T> type) {
        return type.cast(get(oid));
    }

    /**
     * Loads the records of the ghosts among {@code objects} in one storage call and fills them (ZODB's
     * {@code Connection.prefetch}): what touching each of them would load, for the cost of one round trip, read
     * by the storage in the order of its files. Use it before working through many objects that are likely
     * ghosts (the values of a map, the results of a query): {@code MappedFileStorage} looks each one up once
     * and reads the records in log order instead of one by one in the order they are used.
     *
     * <ul>
     *   <li>Each ghost of this connection among {@code objects} is filled with its state in this connection's
     *       snapshot, or with what a savepoint of the current transaction wrote for it. It becomes up to date,
     *       not changed: a prefetch never makes a commit write anything, and does not join a transaction. Like
     *       any read, it works inside and outside a transaction.</li>
     *   <li>Objects that are not ghosts (loaded, changed, new) are left as they are, so a rollback's restored
     *       state is never overwritten. Values that are not persistent objects, and persistent objects never
     *       stored, are ignored: any collection of mixed values can be passed.</li>
     *   <li>A persistent object of another connection is refused with {@link IllegalArgumentException}, before
     *       anything is loaded.</li>
     *   <li>{@link #transferCounts()} counts one load per record read.</li>
     *   <li>When the storage fails, every object stays a ghost and the failure is thrown; the connection stays
     *       usable. A ghost whose object no longer has a record stays a ghost (using it reports that).</li>
     * </ul>
     * {@link PersistentTreeMap}'s iteration does this for each bucket it reaches, so that walking a tree whose
     * values are persistent objects costs one storage call per bucket, not one per value.
     *
     * @throws IllegalArgumentException when {@code objects} holds a persistent object of another connection
     * @throws IllegalStateException when the connection is closed, or called from a thread other than its own
     * @throws org.jodb.spi.StorageException when the storage fails; nothing was filled
     */
    public void prefetch(Iterable<?> objects) {
        checkOpen();
        session.prefetch(objects);
    }

    /**
     * Makes the commit of the current transaction fail with {@link ReadConflictException} if another
     * transaction changed {@code object} after this one read it (ZODB's {@code readCurrent}). Does nothing for a
     * ghost (nothing was read) or a new object.
     */
    public void readCurrent(Object object) {
        checkOpen();
        session.readCurrent(object);
    }

    /**
     * Makes commits of other connections visible now (outside a transaction; inside one, the snapshot
     * stays fixed and this throws {@link IllegalStateException}).
     */
    public void sync() {
        checkOpen();
        session.sync();
    }

    /** Turns every unchanged loaded object into a ghost, freeing memory (ZODB's cacheMinimize). */
    public void cacheMinimize() {
        checkOpen();
        session.minimizeCache();
    }

    /** The number of loaded (non-ghost) objects in the cache. */
    public int cacheLoadedCount() {
        return session.cacheLoadedCount();
    }

    /**
     * Sets how many loaded objects the cache keeps between transactions (see {@link Database.Options#cacheSize},
     * which also says which go first).
     */
    public void setCacheSize(int objects) {
        session.setCacheSize(objects);
    }

    /**
     * Sets the estimated bytes of loaded objects the cache keeps between transactions, 0 for none (see
     * {@link Database.Options#cacheSizeBytes}).
     */
    public void setCacheSizeBytes(long bytes) {
        session.setCacheSizeBytes(bytes);
    }

    /** The estimated bytes of the loaded objects in the cache: the sum of their record sizes. */
    public long cacheLoadedBytes() {
        return session.cacheLoadedBytes();
    }

    /**
     * How many records this connection loaded from its storage and stored into it since it was opened or
     * its counts were last reset (ZODB's {@code getTransferCounts}): what a lookup or a commit cost. The
     * counts stay with a connection that goes back to the pool and is opened again.
     */
    public TransferCounts transferCounts() {
        return new TransferCounts(session.transferCounter().loads(), session.transferCounter().stores());
    }

    /** {@link #transferCounts()}, then counts from zero again (ZODB's {@code getTransferCounts(clear=True)}). */
    public TransferCounts resetTransferCounts() {
        TransferCounts counts = transferCounts();
        session.transferCounter().reset();
        return counts;
    }

    /** The transaction manager whose transactions this connection joins. */
    public TransactionManager transactionManager() {
        return session.manager();
    }

    /** The database this connection was opened on. */
    public Database database() {
        return database;
    }

    /** Whether this connection, or its database, was closed; a closed connection's objects cannot load. */
    public boolean isClosed() {
        return closed || session.isClosed();
    }

    /**
     * Closes the connection; it goes back to the database's pool with its cache. Idempotent.
     *
     * @throws IllegalStateException while it is joined to a transaction with changes (they would be lost):
     *         commit or abort first; the connection stays open
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (session.close()) {
            closed = true;
            database.released(session);
        } else {
            closed = true;
        }
    }

    private void checkOpen() {
        if (isClosed()) {
            throw new IllegalStateException(database.isClosed()
                    ? "connection closed: its database was closed; open the database again"
                    : "connection closed; open a new one with Database.open()");
        }
    }
}
