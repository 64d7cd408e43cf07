package org.jodb.postgres;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Revision;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.StorageView;
import org.jodb.spi.TransactionInfo;
import org.jodb.spi.TransactionMetadata;
import org.jodb.spi.TransactionRecords;

/**
 * A {@link Storage} in a PostgreSQL database, shared by every process that opens the same database and
 * schema: the storage to switch to when one process is not enough. {@code postgres/SCHEMA.md} describes its
 * tables, locks and the steps of a commit, a poll, a pack and a recovery.
 *
 * <ul>
 *   <li>Reads run in autocommit, one statement each: a snapshot is a tid, and committed rows never change, so
 *       no database transaction stays open between jodb transactions.</li>
 *   <li>Commits: vote takes the schema's commit lock (an advisory lock, across processes), picks the tid from
 *       the last committed one and the clock, checks conflicts, writes the rows and prepares the database
 *       transaction; finish commits it. See {@link PgTransaction}. A transaction that commits in one phase
 *       (its caller commits nothing else with it) is committed without PREPARE, in one database transaction
 *       with the other threads' waiting one-phase commits ({@link CommitGroup}).</li>
 *   <li>Polls: a listener per storage hears each commit's NOTIFY, so that a view's poll with nothing new costs
 *       no round trip; polling the server is the guarantee when it cannot be trusted.</li>
 *   <li>Oids come from a sequence, reserved {@link PostgresOptions#oidBlock()} at a time.</li>
 * </ul>
 * Safe for many threads: each call takes a pooled connection for its own use.
 */
public final class PostgresStorage implements Storage {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a vote waits for the commit lock before it looks for abandoned prepared transactions. */
    private static final String LOCK_WAIT = "5s";
    /** How long an open waits for its listener to hold the owner lock. */
    private static final long LISTENER_WAIT_MILLIS = 5_000;

    final Connections connections;
    final PostgresOptions options;
    final String schema;
    final Sql sql;
    final LockKeys keys;
    final Reads reads;
    /** Whether votes end with PREPARE TRANSACTION (the server allows it and the options want it). */
    final boolean prepares;
    /** This storage's owner number: its owner lock and the ids of the transactions it prepares carry it. */
    final int owner;
    final ThreadLocal<PgTransaction> votedOnThisThread = new ThreadLocal<>();
    /** Gathers the one-phase commits of this storage's threads into groups that share a database transaction. */
    final CommitGroup commitGroup = new CommitGroup(this);
    volatile CommitHooks hooks = CommitHooks.NONE;
    /** Records a transaction holds in memory before it sends them ahead of vote (tests lower it). */
    volatile int heldRecordsBound = HeldRecords.COUNT_BOUND;
    private final String name;
    private final CommitListener listener;
    /** The newest tid this storage knows to be committed (its own commits, notifications, reads). */
    private final AtomicLong knownTid = new AtomicLong();
    /** This storage's recent commits, and what may be another process's: polls answer from them. */
    final OwnCommits ownCommits = new OwnCommits();
    /** Committed records this process's views read without a round trip (own commits, notifications, loads). */
    final RecordCache recordCache;
    /** Loads, through the record cache. */
    private final CachedLoads loads;
    /** Oids reserved from the server's sequence, a block at a time. */
    private final OidBlocks oids = new OidBlocks(this);
    /** Prepared transactions of this storage whose rollback failed: rolled back at the next chance. */
    private final Set<String> pendingRollbacks = ConcurrentHashMap.newKeySet();
    /** Stages of this storage's transactions whose staged records could not be removed at once. */
    final Set<Long> stagesToDrop = ConcurrentHashMap.newKeySet();
    private final CommitNotifier notifier;
    /** The finder of references, and whether votes must name them (a pack removed objects). */
    final ReferenceChecks references = new ReferenceChecks(this);
    private volatile boolean closed;

    private PostgresStorage(Connections connections, PostgresOptions options, String shownLocation) {
        this.connections = connections;
        this.options = options;
        this.schema = options.schema();
        this.sql = new Sql(schema);
        this.keys = new LockKeys(schema);
        this.name = shownLocation + " (schema " + schema + ")";
        this.reads = new Reads(sql, name);
        this.owner = RANDOM.nextInt();
        this.recordCache = new RecordCache(options.recordCacheBytes());
        this.loads = new CachedLoads(this, recordCache);
        boolean serverPrepares;
        try {
            Connection c = connections.take();
            boolean broken = false;
            try {
                SchemaSetup.ensure(c, sql, keys, schema, name);
                serverPrepares = SchemaSetup.serverPrepares(c);
                references.readAtOpen(c);
                observed(reads.lastTid(c));
            } catch (SQLException e) {
                broken = Failures.connectionLost(e);
                throw e;
            } finally {
                connections.give(c, broken);
            }
        } catch (SQLException e) {
            connections.close();
            throw Failures.of(name, "open", e);
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
        this.prepares = options.preparedTransactions() && serverPrepares;
        this.listener = new CommitListener(this);
        listener.start();
        awaitListener();
        this.notifier = new CommitNotifier(this);
        recoverAbandoned();
    }

    /**
     * Waits a little for the listener to connect: it holds the owner lock, and until it does, other processes
     * would take the transactions this storage prepares and the records it stages for a dead storage's (a vote
     * is now quick enough to come first). A listener that cannot connect is not waited for longer than {@link
     * #LISTENER_WAIT_MILLIS}; the storage works without it, as when its connection is lost later.
     */
    private void awaitListener() {
        long deadline = System.nanoTime() + LISTENER_WAIT_MILLIS * 1_000_000L;
        while (listener.liveGeneration() == 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Opens (creating its tables on first use) the storage a {@code jdbc:postgresql:} URL names, with default
     * options; the URL's parameter {@code jodbSchema} names the schema (default {@value
     * PostgresOptions#DEFAULT_SCHEMA}). Every other parameter (user, password, TLS settings) goes to the driver
     * as written. The storage keeps its own small pool of connections.
     *
     * @throws IllegalArgumentException when the URL is not a PostgreSQL URL or names an unusable schema
     * @throws StorageException when the server cannot be reached or refuses the login (the message shows the
     *         URL without its password)
     */
    public static PostgresStorage open(String url) {
        return open(url, PostgresOptions.defaults());
    }

    /** {@link #open(String)} with {@code options}; a {@code jodbSchema} in the URL overrides their schema. */
    public static PostgresStorage open(String url, PostgresOptions options) {
        Objects.requireNonNull(options, "options");
        PgUrl parsed = PgUrl.parse(url, options.schema());
        PostgresOptions chosen = options.withSchema(parsed.schema());
        return new PostgresStorage(new DriverPool(parsed, chosen.poolSize()), chosen, parsed.shown());
    }

    /**
     * Opens the storage in {@code options.schema()} of the database {@code source} connects to, taking every
     * connection from it (an application's pool: one connection stays out for the storage's listener while it
     * is open). The pool's connections must be PostgreSQL's.
     */
    public static PostgresStorage open(DataSource source, PostgresOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        return new PostgresStorage(new DataSourceConnections(source), options, "a DataSource");
    }

    /** A job on one connection. */
    interface SqlJob<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code job} on a pooled connection in autocommit; a failure becomes a StorageException. The jobs
     * are reads (or start over from the top, as pack does), so a job whose connection turns out to be lost (a
     * pooled connection the server ended while it was idle, a server restarted) runs once more on a new one.
     */
    <T> T run(String doing, SqlJob<T> job) {
        checkOpen();
        for (int attempt = 1; ; attempt++) {
            Connection c;
            try {
                c = connections.take();
            } catch (SQLException e) {
                throw Failures.of(name, doing, e);
            }
            boolean broken = false;
            try {
                return job.run(c);
            } catch (SQLException e) {
                broken = Failures.connectionLost(e);
                if (!broken || attempt == 2) {
                    throw Failures.of(name, doing, e);
                }
            } finally {
                connections.give(c, broken);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long newOid() {
        return oids.next();
    }

    @Override
    public long lastTid() {
        long last = run("read the last tid", reads::lastTid);
        observed(last);
        return last;
    }

    @Override
    public Revision load(long oid) {
        return loadAt(oid, Long.MAX_VALUE);
    }

    @Override
    public Revision loadAt(long oid, long tid) {
        return loads.loadAt(oid, tid);
    }

    @Override
    public Revision[] loadAllAt(long[] oids, long tid) {
        return loads.loadAllAt(oids, tid);
    }

    /** Each load not answered by the record cache is a round trip: containers prefetch in batches. */
    @Override
    public boolean loadsAreRemote() {
        return true;
    }

    @Override
    public long oldestSnapshot() {
        return run("read the oldest snapshot", reads::packedBefore);
    }

    @Override
    public List<CommittedTransaction> transactionsAfter(long tid) {
        return run("list the transactions after tid " + tid, c -> reads.transactionsAfter(c, tid)).transactions();
    }

    @Override
    public StorageView openView() {
        checkOpen();
        long generation = listener.liveGeneration();
        return new PgView(this, lastTid(), false, generation);
    }

    @Override
    public StorageView openView(long atTid) {
        if (atTid < NO_TID) {
            throw new IllegalArgumentException("a snapshot tid is >= " + NO_TID + ": " + atTid);
        }
        checkOpen();
        return new PgView(this, atTid, true, 0);
    }

    @Override
    public StorageTransaction tpcBegin(TransactionMetadata metadata, ConflictResolver resolver) {
        checkOpen();
        return new PgTransaction(this, metadata, resolver, null);
    }

    /**
     * Begins the commit of a transaction copied from another storage, as {@code Storage.tpcBeginCopy} will
     * say: each record is written as given (no conflict check, no resolver), {@code checkCurrent} is refused,
     * vote refuses a tid not above {@link #lastTid()}, finish returns exactly {@code transaction.tid()}, the
     * time, user and note are kept, and the oid sequence is raised above every oid copied. Copy into a storage
     * no other process writes meanwhile.
     */
    @Override
    public StorageTransaction tpcBeginCopy(TransactionInfo transaction) {
        Objects.requireNonNull(transaction, "transaction");
        checkOpen();
        return new PgTransaction(this, new TransactionMetadata(transaction.user(), transaction.note()),
                ConflictResolver.NONE, transaction);
    }

    /**
     * Every committed transaction with a tid above {@code afterTid}, oldest first, read a page of transactions
     * at a time and one transaction's records at a time; after a pack, only what the storage still holds.
     */
    @Override
    public Iterator<TransactionRecords> transactions(long afterTid) {
        checkOpen();
        return new TransactionWalk(this, afterTid);
    }

    /**
     * Transactions with a tid below {@code beforeTid}, newest first, at most {@code max}, each with the oids of
     * the records the storage still holds for it.
     *
     * @throws IllegalArgumentException when {@code max} is negative
     */
    @Override
    public List<TransactionInfo> transactionLog(long beforeTid, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("a transaction log holds at least 0 transactions: max " + max);
        }
        return run("read the transaction log", c -> reads.transactionLog(c, beforeTid, max));
    }

    @Override
    public List<RevisionInfo> history(long oid, int max) {
        return run("read the history of oid " + oid, c -> reads.history(c, oid, max));
    }

    @Override
    public void pack(long packTid, ReferenceFinder references) {
        checkOpen();
        Objects.requireNonNull(references, "references");
        long[] dropped;
        try {
            dropped = new PgPack(this, references).run(packTid);
        } finally {
            loads.packed(packTid);
        }
        this.references.packed(references, dropped.length);
    }

    /**
     * Keeps {@code references} to name, at each vote once some process's pack has removed objects, the oids the
     * records refer to: the server then refuses a record that refers to a removed object, whichever process
     * packed ({@code removed_objects}, SCHEMA.md).
     */
    @Override
    public void useReferenceFinder(ReferenceFinder references) {
        this.references.use(Objects.requireNonNull(references, "references"));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        notifier.close();
        closed = true;
        listener.close();
        connections.close();
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("storage " + name + " is closed");
        }
    }

    // ---------------------------------------------------------------- for commits, views and the listener

    /** Takes the commit lock in {@code c}'s open transaction, looking for abandoned transactions while it waits. */
    void commitLock(Connection c) throws SQLException {
        while (true) {
            // one round trip: the wait limit (for this database transaction only), then the lock
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)"
                    + " FROM (SELECT set_config('lock_timeout', ?, true)) AS wait")) {
                lock.setLong(1, keys.commit());
                lock.setString(2, LOCK_WAIT);
                lock.execute();
                return;
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState())) {
                    throw e;
                }
                c.rollback(); // the lock wait timed out: a prepared transaction of a dead process may hold it
                recoverAbandoned();
            }
        }
    }

    /**
     * Rolls back the prepared transactions of storages that are gone, and this storage's failed rollbacks;
     * removes the staged records no vote will read.
     */
    void recoverAbandoned() {
        // a connection outside the pool: the voters waiting for the lock may hold every pooled one
        Connection c = null;
        try {
            c = connections.dedicated();
            if (prepares) {
                PreparedRecovery.run(this, c, pendingRollbacks);
            }
            StagingCleanup.run(this, c); // after the rollbacks: a prepared vote holds the rows it staged
        } catch (SQLException | RuntimeException e) {
            // the next vote that waits, or the next open, tries again
        } finally {
            if (c != null) {
                DriverPool.quietlyClose(c);
            }
        }
    }

    /** Rolls back prepared transaction {@code gid} of this storage now, or at the next chance. */
    void rollbackPrepared(String gid) {
        pendingRollbacks.add(gid);
        recoverAbandoned();
    }

    /** Raises the oid sequence to at least {@code maxOid} (a copy wrote oids the sequence did not hand out). */
    void raiseOidSequence(Connection c, long maxOid) throws SQLException {
        oids.raise(c, maxOid);
    }

    /**
     * This storage committed {@code tid}, writing {@code written} (oid to record; null when its records were
     * staged on the server, not all in memory); {@code previousTid} is the newest tid its vote found committed
     * before it. Its views' polls then learn of it without asking the server, and their loads find its records.
     */
    void committed(long tid, long previousTid, Map<Long, byte[]> written) {
        if (written == null) {
            ownCommits.committed(tid, previousTid, null);
            recordCache.unknown(tid);
        } else {
            long[] oids = new long[written.size()];
            byte[][] records = new byte[oids.length][];
            int i = 0;
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                oids[i] = e.getKey();
                records[i++] = e.getValue();
            }
            ownCommits.committed(tid, previousTid, oids);
            recordCache.committed(tid, previousTid, oids, records);
        }
        knownTid.accumulateAndGet(tid, Math::max);
    }

    /**
     * A process (another, or this one) committed {@code tid} writing {@code oids}, and {@code previousTid} was the
     * newest commit before it, as its notification says: views poll past it without asking the server.
     * {@code records} are what it wrote, in the order of {@code oids}, when the notification carried them; else
     * null.
     */
    void heardCommit(long tid, long previousTid, long[] oids, byte[][] records) {
        ownCommits.heardCommit(tid, previousTid, oids);
        recordCache.committed(tid, previousTid, oids, records);
        knownTid.accumulateAndGet(tid, Math::max);
    }

    /** A notification named commit {@code tid} alone: what it wrote is unknown here. */
    void heardTidAlone(long tid) {
        recordCache.unknown(tid);
        ownCommits.announced(tid);
        knownTid.accumulateAndGet(tid, Math::max);
    }

    /** Some process committed {@code tid} (or a read saw it as the newest). */
    void observed(long tid) {
        ownCommits.heard(tid);
        knownTid.accumulateAndGet(tid, Math::max);
    }

    long knownTid() {
        return knownTid.get();
    }

    long listenerGeneration() {
        return listener.liveGeneration();
    }

    /**
     * Tells the other processes of commit {@code tid}, which followed {@code previousTid} and wrote {@code written}
     * (null when not known here), off the calling thread (best effort: their listeners also poll).
     */
    void notifyCommitted(long tid, long previousTid, Map<Long, byte[]> written) {
        notifier.committed(tid, CommitNotifier.payload(tid, previousTid, written));
    }

    /** Closes the storage after a failure only a reopen can judge (a commit whose outcome is unknown). */
    void closeAfterFailure() {
        close();
    }
}
