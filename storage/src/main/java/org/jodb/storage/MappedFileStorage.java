package org.jodb.storage;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Revision;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionInfo;
import org.jodb.spi.TransactionMetadata;
import org.jodb.spi.TransactionRecords;
import org.jodb.storage.internal.index.ChronicleNotices;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.LogIo;

/**
 * The durable {@link Storage}: an append-only log of transaction records in memory-mapped segment files,
 * an oid index in Chronicle Map derived from it, recovery on open. storage/FORMAT.md is the normative
 * description of the files. This class, {@link StorageOptions} and {@link MappedFileStorageProvider} are the
 * module's public types; everything else is package-private or in packages named {@code internal}.
 *
 * <pre>
 * Durability: a commit is durable when finish() returns (SYNC): its record, whose trailer is the commit
 *   point, was written with pwrite and forced with fdatasync (the segments stay mapped for reading).
 *   Committers that wait at the same time share one force (group commit). DEFERRED returns from finish()
 *   before the force and forces every flushIntervalMillis from a daemon thread; a machine crash may lose
 *   that window, never a part of a transaction, because recovery accepts only records whose CRC covers
 *   header, data and trailer. A failed force closes the storage: only a reopen, reading what the disk
 *   holds, is safe after one.
 * Concurrency: one commit lock, taken at vote and released at finish/abort (or when vote fails), orders
 *   the log (see CommitGate). Loads take no lock (see RevisionReads). Pack copies without the commit lock
 *   and takes it only to copy what was committed meanwhile and swap (see Pack); readers continue on the old
 *   segments, and a reader that finds a segment gone after pack's swap starts over from the new index.
 *   Lock order: pack lock, commit lock.
 * Index damage: an index trusted from disk after a clean close is not verified; a disagreement of it with
 *   the log rebuilds it from the log (see IndexHealing). Only a disagreement with a verified index is
 *   damage of the log.
 * Invariants: (1) the index never names a position beyond the committed end of the log; (2) every
 *   revision's prev pointer names an older revision of the same oid, NONE for its first revision, or
 *   PACKED once pack removed the older ones; (3) the last tid is the tid of the newest transaction record,
 *   and no revision in the index has a greater tid. The on-disk invariants are FORMAT.md section 9.
 * </pre>
 *
 * <p>The parts: {@link StoreOpener} opens and recovers; {@link IndexGenerations} and {@link IndexHealing} keep
 * the index; {@link RevisionReads}, {@link BatchReads}, {@link TransactionChain} and {@link TransactionLogWalk}
 * read; {@link FileTransaction} and {@link Pack} write through the {@link CommitGate}; {@link Lifecycle} closes.
 */
public final class MappedFileStorage implements Storage {

    static {
        // Both before any Chronicle class initialises: an embedded database must not phone home, and
        // Chronicle's advice to use --illegal-access (gone since JDK 17) must not reach users.
        System.setProperty("chronicle.analytics.disable", "true");
        ChronicleNotices.quiet();
    }

    private final Path dir;
    private final StorageOptions options;
    private final boolean openedFromIndex;
    private final AtomicLong nextOid;
    private final Lifecycle lifecycle;
    private final RevisionReads reads;
    private final BatchReads batchReads;
    private final TransactionChain chain;
    private final TransactionLogWalk transactionLog;
    private final CommitGate gate;
    private final TestHooks hooks;

    private MappedFileStorage(StoreOpener.Opened opened) {
        this.dir = opened.dir();
        this.options = opened.options();
        this.openedFromIndex = opened.fromIndex();
        this.nextOid = new AtomicLong(Math.max(1, opened.state().nextOid()));
        ReentrantLock commitLock = new ReentrantLock();
        LastCommit last = new LastCommit(opened.state().lastTid(), opened.state().lastTxn());
        RecentCommits recent = new RecentCommits();
        IndexGenerations indexes = new IndexGenerations(opened.index());
        this.lifecycle = new Lifecycle(dir, options, opened.lock(), opened.log(), indexes, last, nextOid, commitLock);
        IndexHealing healing = new IndexHealing(dir, opened.log(), indexes, commitLock, last, nextOid, lifecycle,
                OidIndex.pagesFor(options.indexCapacity()));
        this.reads = new RevisionReads(dir, opened.log(), indexes, healing, last);
        this.batchReads = new BatchReads(opened.log(), indexes, healing, reads);
        this.chain = new TransactionChain(dir, opened.log(), last, recent, lifecycle);
        this.transactionLog = new TransactionLogWalk(dir, opened.log(), last, lifecycle);
        this.gate = new CommitGate(commitLock, opened.log(), indexes, healing, reads, last, recent, nextOid,
                lifecycle, options.durability());
        this.hooks = new TestHooks(opened.log(), indexes, healing, chain, lifecycle, nextOid);
    }

    /** Opens (creating if absent) the store in directory {@code dir} with default options. */
    public static MappedFileStorage open(Path dir) {
        return open(dir, StorageOptions.defaults());
    }

    /**
     * Opens (creating if absent) the store in directory {@code dir}, running recovery.
     *
     * @throws CorruptStorageException  when a file is damaged inside its committed region or is not a jodb file
     * @throws org.jodb.spi.UnsupportedFormatException when the store was written by a newer format
     * @throws StorageException when the store is open elsewhere, the JVM lacks Chronicle Map's flags, or I/O fails
     */
    public static MappedFileStorage open(Path dir, StorageOptions options) {
        return open(dir, options, LogIo.REAL);
    }

    /** Opens with the log's file operations replaced (fault-injection tests). */
    static MappedFileStorage open(Path dir, StorageOptions options, LogIo io) {
        return new MappedFileStorage(StoreOpener.open(dir, options, io));
    }

    /**
     * Whether open trusted the index a clean close left (replaying at most the log's tail) instead of
     * rebuilding it from the whole log; benchmarks report it beside the open time.
     */
    public boolean openedFromIndex() {
        return openedFromIndex;
    }

    /** The directory of this store. */
    public Path directory() {
        return dir;
    }

    public StorageOptions options() {
        return options;
    }

    /** What tests reach inside this storage. */
    TestHooks hooks() {
        return hooks;
    }

    // ------------------------------------------------------------------------------------ Storage

    @Override
    public String name() {
        return dir.toString();
    }

    @Override
    public long newOid() {
        lifecycle.checkOpen();
        return nextOid.getAndIncrement();
    }

    @Override
    public long lastTid() {
        lifecycle.checkOpen();
        return gate.lastTid();
    }

    @Override
    public Revision load(long oid) {
        lifecycle.checkOpen();
        return reads.load(oid);
    }

    @Override
    public long oldestSnapshot() {
        lifecycle.checkOpen();
        return reads.oldestSnapshot();
    }

    @Override
    public Revision loadAt(long oid, long tid) {
        lifecycle.checkOpen();
        return reads.loadAt(oid, tid);
    }

    /** Each oid looked up once, the records read in log order ({@link BatchReads}). */
    @Override
    public Revision[] loadAllAt(long[] oids, long tid) {
        lifecycle.checkOpen();
        return batchReads.loadAllAt(oids, tid);
    }

    @Override
    public List<CommittedTransaction> transactionsAfter(long tid) {
        lifecycle.checkOpen();
        return chain.after(tid);
    }

    @Override
    public StorageTransaction tpcBegin(TransactionMetadata metadata, ConflictResolver resolver) {
        lifecycle.checkOpen();
        return new FileTransaction(gate, this, Objects.requireNonNull(metadata, "metadata"),
                Objects.requireNonNull(resolver, "resolver"));
    }

    /** Through the same {@link FileTransaction} as any commit, keeping the copied tid and time. */
    @Override
    public StorageTransaction tpcBeginCopy(TransactionInfo transaction) {
        lifecycle.checkOpen();
        return FileTransaction.copy(gate, this, Objects.requireNonNull(transaction, "transaction"));
    }

    /** Read forward through the log, one transaction at a time ({@link TransactionWalk}). */
    @Override
    public Iterator<TransactionRecords> transactions(long afterTid) {
        lifecycle.checkOpen();
        return chain.walk(afterTid);
    }

    @Override
    public List<RevisionInfo> history(long oid, int max) {
        lifecycle.checkOpen();
        return reads.history(oid, max);
    }

    @Override
    public void pack(long packTid, ReferenceFinder references) {
        lifecycle.checkOpen();
        Objects.requireNonNull(references, "references");
        lifecycle.packExclusively(() -> Pack.pack(gate, hooks, packTid, references));
    }

    @Override
    public void close() {
        lifecycle.close();
    }

    /** Walks the chain of transaction records back from the newest ({@link TransactionLogWalk}). */
    @Override
    public List<TransactionInfo> transactionLog(long beforeTid, int max) {
        lifecycle.checkOpen();
        return transactionLog.before(beforeTid, max);
    }

    @Override
    public String toString() {
        return "MappedFileStorage[" + dir + "]";
    }
}
