package org.jodb.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Revision;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.index.ChronicleFlags;
import org.jodb.storage.internal.index.ChronicleNotices;
import org.jodb.storage.internal.index.IndexDamagedException;
import org.jodb.storage.internal.index.IndexFingerprint;
import org.jodb.storage.internal.index.IndexMeta;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.LogIo;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.RevisionView;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;
import org.jodb.storage.internal.recovery.DurableProof;
import org.jodb.storage.internal.recovery.LogRecovery;
import org.jodb.storage.internal.recovery.PackCommit;

/**
 * The durable {@link Storage}: an append-only log of transaction records in memory-mapped segment files,
 * an oid index in Chronicle Map derived from it, recovery on open. storage/FORMAT.md is the normative
 * description of the files; this class is the only public entry point of the module.
 *
 * <pre>
 * Durability: a commit is durable when finish() returns (SYNC): its record, whose trailer is the commit
 *   point, was written with pwrite and forced with fdatasync (the segments stay mapped for reading).
 *   Committers that wait at the same time share one force (group commit). DEFERRED returns from finish()
 *   before the force and forces every flushIntervalMillis from a daemon thread; a machine crash may lose
 *   that window, never a part of a transaction, because recovery accepts only records whose CRC covers
 *   header, data and trailer. A failed force closes the storage (see breakDown): only a reopen, reading
 *   what the disk holds, is safe after one.
 * Concurrency: one commit lock, taken at vote and released at finish/abort (or when vote fails), orders
 *   the log: conflict checks, tid choice, the append and the index update all happen under it. Loads
 *   take no lock: they read the index (Chronicle Map, internally locked per segment) and then immutable
 *   log bytes. A commit publishes its index entries before lastTid, so a reader that sees a tid can load
 *   its revisions. Pack copies without the commit lock and takes it only to copy what was committed
 *   meanwhile and swap (see Pack); readers continue on the old segments, and a reader that finds a
 *   segment gone after pack's swap starts over from the new index. Lock order: packLock, commitLock.
 * Index damage: an index trusted from disk after a clean close is not verified (OidIndex.verified). Any
 *   disagreement of it with the log (an entry naming no record of its oid and tid, a place outside the
 *   committed log, a miss for an oid below nextOid, a failure of Chronicle Map) rebuilds the index from the
 *   log under the commit lock, swaps it in like growth does, logs one warning and asks again (healIndex).
 *   Only a disagreement with a verified index is damage of the log.
 * Invariants: (1) the index never names a position beyond the committed end of the log; (2) every
 *   revision's prev pointer names an older revision of the same oid, NONE for its first revision, or
 *   PACKED once pack removed the older ones; (3) lastTid is the tid of the transaction at lastTxn, and
 *   no revision in the index has a greater tid. The on-disk invariants are FORMAT.md section 9.
 * </pre>
 */
public final class MappedFileStorage implements Storage {

    static {
        // Both before any Chronicle class initialises: an embedded database must not phone home, and
        // Chronicle's advice to use --illegal-access (gone since JDK 17) must not reach users.
        System.setProperty("chronicle.analytics.disable", "true");
        ChronicleNotices.quiet();
    }

    private static final System.Logger LOG = System.getLogger(MappedFileStorage.class.getName());

    private final Path dir;
    private final StorageOptions options;
    private final StoreLock lock;
    final Log log;
    /** The current index; replaced (never mutated in place) when grown or packed. */
    volatile OidIndex index;
    /** Indexes replaced while readers may still use them; closed at close. */
    private final List<OidIndex> retired = new CopyOnWriteArrayList<>();
    private final AtomicLong nextOid;
    /** Tid of the last finished transaction. */
    volatile long lastTid;
    /** Position of the last finished transaction, {@link LogPosition#NONE} for an empty store. */
    volatile long lastTxn;
    /** The newest commits' oids, for transactionsAfter (see RecentCommits). */
    final RecentCommits recent = new RecentCommits();
    /** Orders commits and pack; see the design block. */
    final ReentrantLock commitLock = new ReentrantLock();
    private volatile boolean closed;
    /** Set by close to end the flusher's loop. */
    private volatile boolean stopping;
    /** Forces DEFERRED commits every flushIntervalMillis; {@code null} in SYNC mode. */
    final Thread flusher;
    /**
     * Why the storage closed itself (a failed force, or a failure after a commit point was written), or
     * {@code null}. Set once; a broken storage never writes a "clean" side file, so reopening rebuilds the
     * index from the log, which is the truth.
     */
    private volatile RuntimeException broken;
    /** The newest index generation number handed out; see {@link #nextIndexGeneration}. */
    private final AtomicInteger generations;
    /** Lets one pack run at a time; close waits for a running pack. Taken before the commit lock. */
    final ReentrantLock packLock = new ReentrantLock();
    /** For tests: runs on the packing thread while pack copies without the commit lock. */
    volatile Runnable whilePackCopies = () -> { };
    /** For tests: runs while pack writes {@code pack.commit}, after its bytes are written, before they are forced. */
    volatile Runnable beforePackCommitForce = () -> { };
    /** For tests: runs on the packing thread right after pack's commit point, before the swap. */
    volatile Runnable atPackCommitPoint = () -> { };
    /**
     * No oid above this is in the index (commit lock). Starts below the oid allocator's value at open, which
     * is above every oid in the log; raised as commits publish.
     */
    private long maxIndexedOid;
    /**
     * What packs removed since open, for vote's check of references (commit lock to replace; see
     * {@link RemovedOids}).
     */
    volatile RemovedOids removedOids = RemovedOids.NONE;
    /**
     * The oldest snapshot loadAt serves ({@link Storage#oldestSnapshot}): raised by each pack's swap, and by a
     * read that meets a revision whose older ones a pack removed (packs of earlier runs are not recorded in
     * the files). Only grows.
     */
    private final AtomicLong packedBefore = new AtomicLong(NO_TID);
    /** Whether open trusted the persisted index (no log scan) instead of rebuilding it. */
    final boolean openedFromIndex;
    /**
     * Set when rebuilding an unverified index failed on damage of the log: later disagreements then report
     * their own damage instead of reading the whole log again.
     */
    private volatile CorruptStorageException rebuildFailure;
    /** For tests: how many times a disagreement rebuilt the index since open. */
    final AtomicInteger indexRebuilds = new AtomicInteger();

    private MappedFileStorage(Path dir, StorageOptions options, StoreLock lock, Log log, OidIndex index,
                              LogRecovery.Result state, boolean openedFromIndex) {
        this.dir = dir;
        this.openedFromIndex = openedFromIndex;
        this.options = options;
        this.lock = lock;
        this.log = log;
        this.index = index;
        this.generations = new AtomicInteger(index.generation());
        this.nextOid = new AtomicLong(Math.max(1, state.nextOid()));
        this.maxIndexedOid = this.nextOid.get() - 1;
        this.lastTid = state.lastTid();
        this.lastTxn = state.lastTxn();
        if (options.durability() == StorageOptions.Durability.DEFERRED) {
            flusher = new Thread(this::flushLoop, "jodb-flusher " + dir);
            flusher.setDaemon(true);
            flusher.start();
        } else {
            flusher = null;
        }
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
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        ChronicleFlags.require();
        dir = dir.toAbsolutePath();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CorruptStorageException(dir + " is a file, not a jodb store (a store is a directory)."
                    + " Pass the store's directory, or a path that does not exist yet to create one.");
        }
        refuseForeignDirectory(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create the store directory " + dir + ": " + e.getMessage(), e);
        }
        StoreLock lock = StoreLock.acquire(dir);
        try {
            boolean packFinished = PackCommit.complete(dir);
            return openLocked(dir, options, lock, io, packFinished);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Refuses to create a store in a directory that holds files but no log segment: a wrong path (a home or
     * project directory) would otherwise become a store silently, and an existing store whose segments are
     * gone would be taken for a new one. A missing or empty directory, or one holding only jodb's own files,
     * is fine (FORMAT.md 1).
     */
    private static void refuseForeignDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<String> foreign = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Segment.idOf(p) >= 0) {
                    return; // a store: its segments are checked when they are opened
                }
                String name = p.getFileName().toString();
                boolean ours = name.equals(StoreLock.FILE_NAME) || name.startsWith(IndexMeta.FILE_NAME)
                        || name.equals(PackCommit.FILE_NAME) || OidIndex.isIndexFile(p) || name.startsWith("log-");
                if (!ours) {
                    foreign.add(Files.isDirectory(p) ? name + "/" : name);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list the store directory " + dir + ": " + e.getMessage(), e);
        }
        if (!foreign.isEmpty()) {
            Collections.sort(foreign);
            String shown = String.join(", ", foreign.subList(0, Math.min(10, foreign.size())))
                    + (foreign.size() > 10 ? ", ... (" + foreign.size() + " entries)" : "");
            throw new CorruptStorageException(dir + " is not a jodb store and not empty: it holds no log segment"
                    + " (log-*.seg) but " + shown + ". Pass the directory of an existing store, or an empty or"
                    + " missing directory to create one.");
        }
    }

    /** @param packFinished whether this open finished a pack, whose output, the whole log now, was forced */
    private static MappedFileStorage openLocked(Path dir, StorageOptions options, StoreLock lock, LogIo io,
                                                boolean packFinished) {
        List<Segment> segments = LogRecovery.openSegments(dir);
        IndexMeta meta = IndexMeta.read(dir);
        IndexHolder holder = null;
        try {
            if (segments.isEmpty()) {
                if (meta != null && meta.lastTid() != NO_TID) {
                    throw new CorruptStorageException(dir + " has an index for transactions up to " + meta.lastTid()
                            + " but no log segments (log-*.seg): the log was deleted, "
                            + Segment.fileName(LogPosition.segment(meta.lastTxn())) + " (which held the last"
                            + " transaction) among it. Restore it from a backup.");
                }
                segments = new ArrayList<>(List.of(Log.createFirst(dir, options.segmentSize(), io)));
                meta = null;
            }
            holder = new IndexHolder(dir, meta == null ? 0 : meta.generation());
            DurableProof durable = (meta == null ? DurableProof.NONE : DurableProof.indexMeta(meta.lastTid()))
                    .or(packFinished ? DurableProof.packFinishedAtOpen() : DurableProof.NONE);
            LogRecovery.Result state = null;
            if (meta != null && meta.clean()) {
                state = catchUp(segments, meta, holder, durable);
            }
            boolean fromIndex = state != null;
            if (state == null) {
                long capacity = Math.max(options.indexCapacity(), meta == null ? 0 : meta.capacity());
                holder.index = OidIndex.create(dir, holder.generation + 1, capacity);
                long start = LogPosition.of(segments.get(0).id, LogLayout.SEGMENT_HEADER_SIZE);
                state = LogRecovery.recover(segments, start, LogPosition.NONE, NO_TID, 1, true, durable,
                        holder::apply);
            }
            if (meta != null && state.lastTid() < meta.lastTid()) {
                // FORMAT.md invariant (7): the side file only ever names durable transactions.
                throw new CorruptStorageException(dir.resolve(Segment.fileName(LogPosition.segment(state.end())))
                        + " offset " + LogPosition.offset(state.end()) + ": the log ends here, at tid "
                        + state.lastTid() + ", but " + dir.resolve(IndexMeta.FILE_NAME) + " records tid "
                        + meta.lastTid() + " as committed: log segments are missing or were replaced by older"
                        + " copies. Restore the store from a backup.");
            }
            // The log forces the recovered end first: index.meta names only durable transactions (FORMAT.md
            // invariant (7)), and a crashed process may have left the last ones in the page cache only.
            Log log = new Log(dir, options.segmentSize(), io, state.segments(), state.end());
            new IndexMeta(false, state.end(), state.lastTxn(), state.lastTid(), state.nextOid(),
                    holder.index.capacity(), holder.index.size(), holder.index.generation(), IndexFingerprint.NONE)
                    .write(dir);
            deleteIndexFilesExcept(dir, holder.index.generation());
            return new MappedFileStorage(dir, options, lock, log, holder.index, state, fromIndex);
        } catch (RuntimeException | Error e) {
            segments.forEach(Segment::close);
            if (holder != null && holder.index != null) {
                holder.index.close(); // a refused open must not leave the index file mapped
            }
            throw e;
        }
    }

    /**
     * The fast path of a cleanly closed store: trust the index up to {@code meta.logEnd} and replay only what
     * follows (normally nothing). Returns {@code null} when the index cannot be trusted (then it is rebuilt).
     */
    private static LogRecovery.Result catchUp(List<Segment> segments, IndexMeta meta, IndexHolder holder,
                                              DurableProof durable) {
        try {
            if (!describesLog(segments, meta)) {
                warnRebuild(OidIndex.file(holder.dir, meta.generation()), IndexMeta.FILE_NAME
                        + " does not describe this log's last transaction");
                return null; // a side file of another store, or of another state of this log: rebuild
            }
            holder.index = OidIndex.open(holder.dir, meta.generation(), meta.capacity(), meta.fingerprint());
            holder.index.unseal(meta.logEnd(), meta.lastTid());
            if (holder.index.size() != meta.count()) {
                throw new IndexDamagedException("the oid index " + holder.index.file() + " holds "
                        + holder.index.size() + " oids, " + IndexMeta.FILE_NAME + " says " + meta.count(), null);
            }
            return LogRecovery.recover(segments, meta.logEnd(), meta.lastTxn(), meta.lastTid(), meta.nextOid(),
                    false, durable, holder::apply);
        } catch (CorruptStorageException e) {
            throw e;
        } catch (RuntimeException e) {
            if (holder.index != null) {
                holder.index.close();
                holder.index = null;
            }
            warnRebuild(OidIndex.file(holder.dir, meta.generation()), e.getMessage());
            return null; // missing, stale or damaged: rebuild from the log
        }
    }

    /**
     * Whether {@code meta}'s end of the log is a record boundary of this log: its {@code lastTxn} is a complete
     * transaction record here with its {@code lastTid}, and {@code logEnd} is that record's end or the start of a
     * later segment. Replaying from any other place would read the middle of a record as the log's end (zeros
     * in a record's data look like the end) and append over committed bytes, or cut them as a torn tail.
     */
    private static boolean describesLog(List<Segment> segments, IndexMeta meta) {
        int endId = LogPosition.segment(meta.logEnd());
        int endOffset = LogPosition.offset(meta.logEnd());
        if (meta.lastTxn() == LogPosition.NONE) {
            return meta.lastTid() == NO_TID && endId == segments.get(0).id
                    && endOffset == LogLayout.SEGMENT_HEADER_SIZE;
        }
        Segment segment = null;
        for (Segment s : segments) {
            if (s.id == LogPosition.segment(meta.lastTxn())) {
                segment = s;
            }
        }
        int offset = LogPosition.offset(meta.lastTxn());
        if (segment == null || offset < LogLayout.SEGMENT_HEADER_SIZE
                || offset > segment.capacity - LogLayout.TXN_HEADER_SIZE - LogLayout.TRAILER_SIZE) {
            return false;
        }
        // The header and the commit magic only, not the CRC: damage inside a record of a cleanly closed store
        // is reported by the reads that meet it (invariant (10)), and a foreign side file fails on the tid.
        TransactionView last;
        try {
            last = TransactionView.read(segment, offset);
        } catch (CorruptStorageException e) {
            return false;
        }
        int end = offset + last.length;
        return last.tid == meta.lastTid()
                && segment.getInt(end - LogLayout.TRAILER_SIZE) == LogLayout.COMMIT_MAGIC
                && (meta.logEnd() == LogPosition.of(segment.id, end)
                || endId > segment.id && endOffset == LogLayout.SEGMENT_HEADER_SIZE);
    }

    /** The index while it is being rebuilt or caught up at open, grown as needed. */
    private static final class IndexHolder {
        final Path dir;
        final int generation;
        OidIndex index;

        IndexHolder(Path dir, int generation) {
            this.dir = dir;
            this.generation = generation;
        }

        void apply(TransactionView txn) {
            if (index.needsGrowth(txn.count)) {
                OidIndex old = index;
                index = grow(old, txn.count);
                old.close();
            }
            txn.forEachRevision((oid, tid, prev, position, length) -> index.put(oid, position, tid));
        }
    }

    /** Copies {@code old} into the next generation's file, at least twice as large (open time only). */
    /** Index capacity (entries) below which {@link #grow} quadruples it. */
    static final long FOURFOLD_GROWTH_LIMIT = 16_000_000;

    static OidIndex grow(OidIndex old, long more) {
        return grow(old, more, old.generation() + 1);
    }

    /**
     * Copies {@code old} into generation {@code generation}'s file, with room for {@code more} oids and then some.
     * The copy runs inside a commit and costs about as much as the puts that filled the old index, so the
     * capacity grows fourfold (twofold past {@link #FOURFOLD_GROWTH_LIMIT} entries, where the file's size starts
     * to matter): a store that grows by bulk inserts then copies each entry a third of a time on average,
     * not once.
     */
    static OidIndex grow(OidIndex old, long more, int generation) {
        long factor = old.capacity() < FOURFOLD_GROWTH_LIMIT ? 4 : 2;
        long capacity = Math.max(old.capacity() * factor,
                (long) ((old.size() + more) / OidIndex.FILL_LIMIT) + 1_000);
        return old.copyTo(generation, capacity);
    }

    /**
     * A fresh index generation number. Growth (at commit) and pack (alongside commits) each make a new
     * generation; drawing them from one counter keeps them from ever naming the same file.
     */
    int nextIndexGeneration() {
        return generations.incrementAndGet();
    }

    /** Removes index files of other generations (replaced, or left by a crash). */
    static void deleteIndexFilesExcept(Path dir, int generation) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "index-*.cm")) {
            for (Path p : files) {
                if (OidIndex.isIndexFile(p) && !p.equals(OidIndex.file(dir, generation))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // a stale index file wastes space but is never read: the side file names the current one
        }
    }

    /** Replaces the index by a grown or packed one; the old one stays open for readers until close. */
    void swapIndex(OidIndex replacement) {
        retired.add(index);
        index = replacement;
    }

    private static void warnRebuild(Path indexFile, String why) {
        LOG.log(System.Logger.Level.WARNING, "jodb: the oid index " + indexFile + " is not used (" + why + "); it"
                + " is rebuilt from the log, which is the truth. Nothing was lost.");
    }

    /**
     * Answers a disagreement between the index {@code used} and the log, or a failure of Chronicle Map on it
     * (FORMAT.md 5): when {@code used} is not {@linkplain OidIndex#verified() verified} (trusted from disk), the
     * disagreement is taken for damage of the index: the index is rebuilt from the log under the commit lock
     * and swapped in as growth swaps (readers keep the old one until they ask again), one warning names the
     * file, and the caller asks again. A thread that finds the index replaced already just asks again.
     *
     * @param why what disagreed, for the warning
     * @return {@code true} when the caller should ask the (new) index again; {@code false} when {@code used} is
     *         verified, so that the disagreement is the log's (or a genuine miss)
     * @throws CorruptStorageException naming the log file and offset when the rebuild meets damage of the log, now
     *                                 or at an earlier heal: the unverified index may have lost what the caller
     *                                 asked for, so a miss must not be answered as one
     */
    boolean healIndex(OidIndex used, String why) {
        if (used.verified()) {
            return false;
        }
        checkOpen();
        CorruptStorageException failed = rebuildFailure;
        if (failed != null) {
            throw new CorruptStorageException(failed.getMessage(), failed);
        }
        commitLock.lock(); // a writer calling from vote or finish holds it already (reentrant)
        try {
            checkOpen();
            if (index != used) {
                return true; // rebuilt, grown or packed meanwhile
            }
            OidIndex rebuilt;
            try {
                rebuilt = IndexRebuild.fromLog(log, lastTxn, Math.max(used.capacity(), options.indexCapacity()),
                        this::nextIndexGeneration);
            } catch (CorruptStorageException e) {
                rebuildFailure = e;
                throw e;
            }
            swapIndex(rebuilt);
            indexRebuilds.incrementAndGet();
            warnRebuild(used.file(), why + "; now " + rebuilt.file());
            return true;
        } finally {
            commitLock.unlock();
        }
    }

    /**
     * {@link #healIndex} for a failure: returns when the caller should ask again, rethrows {@code problem}
     * otherwise. When the rebuild itself meets damage of the log, {@code problem} (which names the record the
     * caller met) is thrown with the rebuild's failure attached.
     */
    private void healOrThrow(OidIndex used, RuntimeException problem) {
        boolean healed;
        String message = String.valueOf(problem.getMessage());
        String why = message.endsWith(Segment.DAMAGE_REMEDY) // not a remedy for an index that is rebuilt
                ? "an entry names " + message.substring(0, message.length() - Segment.DAMAGE_REMEDY.length())
                : message;
        try {
            healed = healIndex(used, why);
        } catch (CorruptStorageException rebuild) {
            problem.addSuppressed(rebuild);
            throw problem;
        }
        if (!healed) {
            throw problem;
        }
    }

    /**
     * Makes sure the index is verified before an operation that must trust its set of oids (pack: an oid the
     * index lost would count as unreachable and be removed).
     */
    void verifyIndex() {
        OidIndex used = index;
        if (used.verified()) {
            return;
        }
        CorruptStorageException failed = rebuildFailure;
        if (failed != null) {
            throw new CorruptStorageException(failed.getMessage(), failed);
        }
        healIndex(used, "checked against the log before pack, which must not miss an object");
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

    // ------------------------------------------------------------------------------------ Storage

    @Override
    public String name() {
        return dir.toString();
    }

    @Override
    public long newOid() {
        checkOpen();
        return nextOid.getAndIncrement();
    }

    long peekNextOid() {
        return nextOid.get();
    }

    @Override
    public long lastTid() {
        checkOpen();
        return lastTid;
    }

    /**
     * Each thread's holder for index lookups, so that a load allocates nothing but its result (the profile of
     * a read-everything workload had a boxed entry, a view object and a byte array per load), and its memo of
     * what its loads found, for its votes ({@link LoadMemo}): one thread-local lookup per load serves both.
     */
    private static final ThreadLocal<LoadMemo> READS = ThreadLocal.withInitial(LoadMemo::new);

    @Override
    public Revision load(long oid) {
        checkOpen();
        LoadMemo reads = READS.get();
        OidIndex.Lookup entry = reads.lookup;
        while (true) {
            long seen = lastTid; // before the index is asked: LoadMemo
            OidIndex used = index;
            try {
                if (!used.get(oid, entry)) {
                    if (healedAfterMiss(used, oid)) {
                        continue; // lost by damage, or never committed: the rebuilt index knows
                    }
                    return null;
                }
                long position = entry.position();
                Segment s = log.segment(LogPosition.segment(position));
                if (s != null) {
                    byte[] data = RevisionView.checkedData(s, log.committedEnd(), position, oid);
                    long tid = RevisionView.tidAt(s, position);
                    requireTid(s, position, oid, entry.tid(), tid);
                    reads.remember(used, seen, oid, position, tid);
                    return new Revision(oid, tid, data);
                }
                missingSegment(used, oid, position); // or a pack swapped the log meanwhile: look again
            } catch (IndexDamagedException | CorruptStorageException e) {
                healOrThrow(used, e);
            }
        }
    }

    @Override
    public long oldestSnapshot() {
        checkOpen();
        return packedBefore.get();
    }

    /** Snapshots before {@code tid} can no longer be served: a pack removed revisions they need. */
    void packedBefore(long tid) {
        packedBefore.accumulateAndGet(tid, Math::max);
    }

    @Override
    public Revision loadAt(long oid, long tid) {
        checkOpen();
        long oldest = packedBefore.get();
        if (tid < oldest) {
            // also for an object whose revision at tid survived: a snapshot is served whole or not at all, as
            // an object pack removed as unreachable would otherwise read as never having existed
            throw new StorageException("snapshot tid " + tid + " is older than the oldest snapshot storage " + dir
                    + " keeps (tid " + oldest + "): what it reads was removed by pack. Start a new transaction to"
                    + " read a newer snapshot.");
        }
        OidIndex.Lookup entry = READS.get().lookup;
        while (true) {
            OidIndex used = index;
            try {
                Revision found = loadAt(used, entry, oid, tid);
                if (found != NO_ENTRY) {
                    return found;
                }
                if (!healedAfterMiss(used, oid)) {
                    return null; // a miss is asked again only of an index that may have lost the oid
                }
            } catch (IndexDamagedException | CorruptStorageException e) {
                healOrThrow(used, e);
            } catch (SegmentGone e) {
                // a pack swapped the log meanwhile: look again
            }
        }
    }

    /**
     * {@link #healIndex} after {@code used} had no entry for {@code oid}: only an oid below the allocator's next
     * one may have been lost by damage (FORMAT.md 5); a higher one is a genuine miss at once.
     *
     * @return whether the caller should ask the (new) index again
     */
    private boolean healedAfterMiss(OidIndex used, long oid) {
        return oid < nextOid.get() && healIndex(used, "it has no entry for oid " + oid);
    }

    /**
     * Checks that the record at {@code position}, of tid {@code found}, is the revision the index entry names
     * ({@code expected}).
     *
     * @throws CorruptStorageException naming the log file and offset otherwise (healed like any disagreement)
     */
    private static void requireTid(Segment s, long position, long oid, long expected, long found) {
        if (found != expected) {
            throw s.damaged(LogPosition.offset(position), "oid " + oid + "'s newest revision was recorded with tid "
                    + expected + ", the record here has tid " + found);
        }
    }

    /** Thrown by a read that found its segment gone after a pack swapped the log (the reader asks again). */
    private static final class SegmentGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SegmentGone() {
            super(null, null, false, false);
        }
    }

    /** What {@link #loadAt(OidIndex, OidIndex.Lookup, long, long)} returns when the index has no entry. */
    private static final Revision NO_ENTRY = new Revision(-1, NO_TID, new byte[0]);

    /**
     * {@link #loadAt(long, long)} with index {@code used}: {@code null} when the object did not exist at tid,
     * {@link #NO_ENTRY} when the index has no entry for it.
     *
     * @throws SegmentGone when a pack swapped the log meanwhile
     */
    private Revision loadAt(OidIndex used, OidIndex.Lookup entry, long oid, long tid) {
        if (!used.get(oid, entry)) {
            return NO_ENTRY;
        }
        long position = entry.position();
        long newer = Long.MAX_VALUE;
        long committedEnd = log.committedEnd();
        while (true) {
            Segment s = log.segment(LogPosition.segment(position));
            if (s == null) {
                missingSegment(used, oid, position);
                throw new SegmentGone();
            }
            RevisionView.requireInside(s, committedEnd, position, oid); // before its tid is read
            long found = RevisionView.tidAt(s, position); // checked with the whole record before it counts
            if (found <= tid) {
                byte[] data = RevisionView.checkedData(s, committedEnd, position, oid);
                olderThan(s, position, oid, found, newer);
                return new Revision(oid, found, data);
            }
            RevisionView.check(s, committedEnd, position, oid);
            olderThan(s, position, oid, found, newer);
            long prev = RevisionView.prevAt(s, position);
            if (prev == LogPosition.NONE) {
                return null;
            }
            if (prev == LogPosition.PACKED) {
                packedBefore(found); // a pack of an earlier run (the files do not record packs)
                throw new StorageException("the revision of oid " + oid + " as of tid " + tid + " was removed by"
                        + " pack; the oldest kept revision has tid " + found
                        + ". Start a new transaction to read a newer snapshot.");
            }
            newer = found;
            position = prev;
        }
    }

    /** Checks that a revision reached through a newer one's {@code prev} is older (FORMAT.md invariant (9)). */
    private static void olderThan(Segment s, long position, long oid, long tid, long newerTid) {
        if (tid >= newerTid) {
            throw s.damaged(LogPosition.offset(position), "oid " + oid + "'s revision with tid " + tid
                    + " is named as older than its revision with tid " + newerTid);
        }
    }

    /**
     * A read found no segment at a position: fine if pack replaced the index meanwhile (the caller retries),
     * a broken invariant (9) otherwise, which an unverified index answers with a rebuild (the caller's
     * {@link #healOrThrow}) and a verified one, built from the log, only when a segment vanished under it.
     */
    private void missingSegment(OidIndex used, long oid, long position) {
        if (used == index) {
            checkOpen();
            throw new CorruptStorageException(dir + ": oid " + oid + "'s newest revision was found at "
                    + LogPosition.describe(position) + " when the log was read, but that segment is no longer part"
                    + " of the log (" + Segment.fileName(LogPosition.segment(position)) + " is missing). Restore the"
                    + " store from a backup.");
        }
    }

    /** The current index entry of {@code oid}, for pack's checks (commit lock). */
    OidIndex.Entry current(long oid) {
        return current(oid, NO_TID);
    }

    /**
     * The current index entry of {@code oid}, for vote's conflict checks and the new record's {@code prev}
     * (commit lock). An entry of an unverified index is checked against the log first (a damaged entry would
     * otherwise become a committed record's {@code prev}), and so is a miss for an oid the writer read at
     * {@code serial}.
     *
     * @param serial the tid the writer read, {@link #NO_TID} for an object it created
     */
    OidIndex.Entry current(long oid, long serial) {
        // An oid above every indexed one cannot be in the index: new objects, stored in allocation order,
        // skip the lookup (a Chronicle Map query costs about as much as the rest of their commit).
        if (oid > maxIndexedOid) {
            return null;
        }
        while (true) {
            OidIndex used = index;
            OidIndex.Entry loaded = READS.get().recall(used, lastTid, oid); // checked by the load that read it
            if (loaded != null) {
                return loaded;
            }
            try {
                OidIndex.Entry entry = used.get(oid);
                if (used.verified()) {
                    return entry;
                }
                if (entry == null) {
                    if (serial == NO_TID || !healIndex(used, "it has no entry for oid " + oid + ", read at tid "
                            + serial)) {
                        return null;
                    }
                    continue;
                }
                Segment s = log.segment(LogPosition.segment(entry.position()));
                if (s == null) {
                    missingSegment(used, oid, entry.position());
                    continue;
                }
                // The entry is in question here, not the data (loads check its CRC): vote pays this under the
                // commit lock for each oid whose load another commit has passed since (LoadMemo), so no CRC.
                RevisionView.checkHeader(s, log.committedEnd(), entry.position(), oid);
                long tid = RevisionView.tidAt(s, entry.position());
                requireTid(s, entry.position(), oid, entry.tid(), tid);
                return entry;
            } catch (IndexDamagedException | CorruptStorageException e) {
                healOrThrow(used, e);
            }
        }
    }

    @Override
    public List<CommittedTransaction> transactionsAfter(long tid) {
        checkOpen();
        if (tid >= lastTid) {
            return List.of();
        }
        // Every connection asks at every transaction start: the newest commits come from memory, and only a
        // connection that fell further behind walks the log.
        List<CommittedTransaction> known = recent.after(tid);
        if (known != null) {
            return known;
        }
        retry:
        while (true) {
            List<CommittedTransaction> found = new ArrayList<>();
            long head = lastTxn;
            long position = head;
            while (position != LogPosition.NONE) {
                Segment segment = log.segment(LogPosition.segment(position));
                if (segment == null) {
                    if (head == lastTxn) {
                        checkOpen();
                        throw new CorruptStorageException(dir + ": the transaction chain reaches "
                                + LogPosition.describe(position) + ", which is not part of the log.");
                    }
                    continue retry;
                }
                TransactionView txn = TransactionView.read(segment, LogPosition.offset(position),
                        log.committedEnd());
                if (txn.tid <= tid) {
                    break;
                }
                if (txn.prevTxn < LogPosition.NONE || txn.prevTxn >= position) {
                    // FORMAT.md invariant (1); also keeps a damaged chain from looping
                    throw segment.damaged(LogPosition.offset(position), "transaction " + txn.tid + " names "
                            + LogPosition.describe(txn.prevTxn) + " as the transaction before it");
                }
                found.add(new CommittedTransaction(txn.tid, txn.oids()));
                position = txn.prevTxn;
            }
            Collections.reverse(found);
            return found;
        }
    }

    @Override
    public StorageTransaction tpcBegin(TransactionMetadata metadata, ConflictResolver resolver) {
        checkOpen();
        return new FileTransaction(this, Objects.requireNonNull(metadata, "metadata"),
                Objects.requireNonNull(resolver, "resolver"));
    }

    @Override
    public List<RevisionInfo> history(long oid, int max) {
        checkOpen();
        while (true) {
            OidIndex used = index;
            try {
                List<RevisionInfo> found = history(used, oid, max);
                if (found != null) {
                    return found;
                }
                if (!healedAfterMiss(used, oid)) {
                    return List.of(); // a miss is asked again only of an index that may have lost the oid
                }
            } catch (IndexDamagedException | CorruptStorageException e) {
                healOrThrow(used, e);
            } catch (SegmentGone e) {
                // a pack swapped the log meanwhile: look again
            }
        }
    }

    /**
     * {@link #history(long, int)} with index {@code used}; {@code null} when the index has no entry.
     *
     * @throws SegmentGone when a pack swapped the log meanwhile
     */
    private List<RevisionInfo> history(OidIndex used, long oid, int max) {
        OidIndex.Entry entry = used.get(oid);
        if (entry == null) {
            return null;
        }
        List<RevisionInfo> found = new ArrayList<>();
        long position = entry.position();
        long newer = Long.MAX_VALUE;
        while (found.size() < max && position != LogPosition.NONE && position != LogPosition.PACKED) {
            RevisionView revision = RevisionView.read(log, position, oid);
            if (revision == null) {
                missingSegment(used, oid, position);
                throw new SegmentGone();
            }
            olderThan(revision.segment(), position, oid, revision.tid(), newer);
            newer = revision.tid();
            TransactionView txn = revision.transaction(log.committedEnd());
            found.add(new RevisionInfo(revision.tid(), txn.timeMillis, txn.user, txn.note, revision.dataLength()));
            position = revision.prev();
        }
        return found;
    }

    @Override
    public void pack(long packTid, ReferenceFinder references) {
        checkOpen();
        Objects.requireNonNull(references, "references");
        packLock.lock();
        try {
            checkOpen();
            verifyIndex();
            if (!new Pack(this, dir).run(packTid, references)) {
                // A transaction committed while pack copied refers to an object pack had found unreachable:
                // packing again with writers held out cannot meet that (rare) case.
                commitLock.lock();
                try {
                    checkOpen();
                    new Pack(this, dir).run(packTid, references);
                } finally {
                    commitLock.unlock();
                }
            }
        } finally {
            try {
                if (broken != null) {
                    closeAfterPack(); // the storage broke while pack ran: breakDown left the close to us
                }
            } catch (RuntimeException ignored) {
                // the pack's own outcome (or the failure that broke the storage) is what the caller sees
            } finally {
                packLock.unlock();
            }
        }
    }

    // ------------------------------------------------------------------------------------ commit support

    /** The tid for a transaction voting now (commit lock): after lastTid, and after the clock. */
    long nextTid() {
        // FORMAT.md invariant (1). The clock part makes tids readable as times (tid >>> 20 ≈ milliseconds)
        // and keeps them increasing across restarts even if the log were replaced by an older copy.
        return Math.max(lastTid + 1, System.currentTimeMillis() << 20);
    }

    /** Makes a finished transaction visible (commit lock). Index first, then lastTid: invariant (3). */
    void publish(long txnPosition, long tid, long[] oids, long[] positions) {
        OidIndex current = index;
        try {
            for (int i = 0; i < oids.length; i++) {
                current.put(oids[i], positions[i], tid);
            }
        } catch (IndexDamagedException e) {
            // The record is written: a rebuild reads it from the log like every other (healIndex, lastTxn is
            // still the one before it, so it is put again here). A verified index rethrows: finish fails.
            healOrThrow(current, e);
            current = index;
            for (int i = 0; i < oids.length; i++) {
                current.put(oids[i], positions[i], tid);
            }
        }
        long max = maxIndexedOid;
        for (long oid : oids) {
            max = Math.max(max, oid);
        }
        maxIndexedOid = max;
        recent.add(tid, oids);
        lastTxn = txnPosition;
        lastTid = tid;
    }

    /** Grows the index before a commit that adds {@code newOids} oids could overfill it (commit lock). */
    void ensureIndexRoom(int newOids) {
        // Only new oids fill the index; and asking costs a walk over all of Chronicle Map's segments
        // (1-2 µs at a capacity of 1,500,000), which a commit of updates need not pay.
        OidIndex used = index;
        try {
            if (newOids > 0 && used.needsGrowth(newOids)) {
                swapIndex(grow(used, newOids, nextIndexGeneration()));
            }
        } catch (IndexDamagedException e) {
            healOrThrow(used, e); // the rebuilt index may be as full: grow it in turn
            ensureIndexRoom(newOids);
        }
    }

    /** Waits until the commit ending at {@code end} is durable, as the durability mode promises. */
    void awaitDurable(long end) {
        RuntimeException failure = broken;
        if (failure != null) {
            throw new StorageException("the log could not be forced earlier (" + failure.getMessage()
                    + "); the storage was closed. Reopen it: recovery keeps every durable commit.", failure);
        }
        if (options.durability() == StorageOptions.Durability.SYNC) {
            try {
                log.awaitDurable(end);
            } catch (RuntimeException e) {
                throw breakDown(e);
            }
        }
    }

    /**
     * The storage cannot go on (a force failed, or a commit point could not be written or published): marks
     * it broken and closes it. Returns the exception for the caller to throw.
     */
    StorageException breakDown(RuntimeException cause) {
        if (broken == null) {
            broken = cause;
        }
        closeUnlessPackRuns();
        return new StorageException("the storage " + dir + " failed (" + cause.getMessage() + ") and was closed;"
                + " reopen it: recovery keeps every durable commit, and a transaction whose commit reported this"
                + " error is either wholly present or wholly absent.", cause);
    }

    /** Whether a failure of the log means this storage must stop (see {@link Log#failure()}). */
    boolean logFailed() {
        return log.failure() != null;
    }

    private void flushLoop() {
        long interval = TimeUnit.MILLISECONDS.toNanos(options.flushIntervalMillis());
        while (!closed && !stopping) {
            LockSupport.parkNanos(interval);
            try {
                log.forceAll();
            } catch (RuntimeException e) {
                if (broken == null) {
                    broken = e;
                }
                if (!closed && !stopping) {
                    closeUnlessPackRuns();
                } // else close is under way and waits for this thread: it must not wait for close
                return;
            }
        }
    }

    void checkOpen() {
        if (closed) {
            RuntimeException cause = broken;
            if (cause != null) {
                // the user of another connection learns why, and what to do, not only that it is closed
                throw new IllegalStateException("the storage " + dir + " failed (" + cause.getMessage()
                        + ") and closed itself; close the database and open it again: recovery keeps every"
                        + " durable commit", cause);
            }
            throw new IllegalStateException("closed: " + dir + "; open the storage again to use it");
        }
    }

    boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------------------------ close

    @Override
    public void close() {
        packLock.lock(); // a running pack finishes first; it may need the commit lock once more
        try {
            closeAfterPack();
        } finally {
            packLock.unlock();
        }
    }

    private void closeAfterPack() {
        // The flusher is stopped before the commit lock is taken: it may itself be closing a broken storage
        // and waiting for that lock. Nobody calls close while holding the commit lock.
        if (flusher != null && Thread.currentThread() != flusher) {
            stopping = true;
            LockSupport.unpark(flusher);
            try {
                flusher.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Always through the lock, also when closed is set already: a close running on another thread (the
        // flusher closing a broken storage) has then finished, and the store's lock is released, on return.
        commitLock.lock(); // lets a transaction between vote and finish complete first
        try {
            if (closed) {
                return;
            }
            closed = true;
            boolean clean = broken == null;
            try {
                log.forceAll(); // also when broken: what was acknowledged in DEFERRED mode deserves the try
            } catch (RuntimeException e) {
                clean = false;
            }
            OidIndex last = index;
            long capacity = last.capacity();
            long count = 0;
            long headerSpan = 0;
            long logEnd = log.committedEnd();
            try {
                count = last.size();
                last.seal(logEnd, lastTid);
                headerSpan = last.headerSpan();
            } catch (IndexDamagedException e) {
                clean = false; // the next open rebuilds it
            }
            last.close();
            retired.forEach(OidIndex::close);
            if (clean) {
                // FORMAT.md invariant (6): "clean" is written only after the log and the index file are forced.
                try {
                    IndexFingerprint fingerprint = last.fingerprint(headerSpan);
                    new IndexMeta(true, logEnd, lastTxn, lastTid, nextOid.get(), capacity, count,
                            last.generation(), fingerprint).write(dir);
                    deleteIndexFilesExcept(dir, last.generation());
                } catch (IOException | RuntimeException e) {
                    // the next open sees an "open" side file and rebuilds the index from the log
                }
            }
            log.close();
            lock.close();
        } finally {
            commitLock.unlock();
        }
    }

    /**
     * Closes a broken storage now, unless a pack or a close holds the pack lock: that one closes it when it
     * ends, seeing {@link #broken}. Waiting for the pack lock here could stall for as long as a pack runs,
     * and on the flusher it would stall close, which joins the flusher while holding the pack lock (a pack
     * that fails after its commit point closes the storage itself).
     */
    private void closeUnlessPackRuns() {
        if (!packLock.tryLock()) {
            return;
        }
        try {
            closeAfterPack();
        } catch (RuntimeException ignored) {
            // the failure that made us close is what the caller reports
        } finally {
            packLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MappedFileStorage[" + dir + "]";
    }

    /** For tests: every transaction record, oldest first. */
    void forEachTransaction(Consumer<TransactionView> visitor) {
        List<TransactionView> all = new ArrayList<>();
        long position = lastTxn;
        while (position != LogPosition.NONE) {
            TransactionView txn = TransactionView.read(log.segment(LogPosition.segment(position)),
                    LogPosition.offset(position));
            all.add(txn);
            position = txn.prevTxn;
        }
        Collections.reverse(all);
        all.forEach(visitor);
    }
}
