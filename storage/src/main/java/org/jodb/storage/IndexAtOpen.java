package org.jodb.storage;

import java.nio.file.Path;
import java.util.List;

import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Storage;
import org.jodb.storage.internal.index.IndexDamagedException;
import org.jodb.storage.internal.index.IndexMeta;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;
import org.jodb.storage.internal.recovery.DurableProof;
import org.jodb.storage.internal.recovery.LogRecovery;

/**
 * The oid index while a store opens: either {@linkplain #catchUp caught up} from the file a clean close left
 * (trusted up to the end of the log it was sealed at; only what follows is replayed), or
 * {@linkplain #rebuild rebuilt} from the whole log by recovery. Grown as recovery puts entries into it.
 */
final class IndexAtOpen {

    private final Path dir;
    /** The generation of the index the side file names (0 when there is none). */
    private final int generation;
    /** At most how many pages the index keeps in memory ({@link StorageOptions#indexPagesInMemory}). */
    private final int inMemory;
    private OidIndex index;
    private final TransactionEntries entries = new TransactionEntries();

    IndexAtOpen(Path dir, int generation, int inMemory) {
        this.dir = dir;
        this.generation = generation;
        this.inMemory = inMemory;
    }

    /** The index built; {@code null} before {@link #catchUp} succeeded or {@link #rebuild} began. */
    OidIndex index() {
        return index;
    }

    /**
     * The fast path of a cleanly closed store: trust the index up to {@code meta.logEnd} and replay only what
     * follows (normally nothing). Returns {@code null} when the index cannot be trusted (then it is rebuilt),
     * having logged why.
     *
     * @throws CorruptStorageException when the log itself is damaged
     */
    LogRecovery.Result catchUp(List<Segment> segments, IndexMeta meta, DurableProof durable) {
        try {
            if (!describesLog(segments, meta)) {
                IndexHealing.warnRebuild(OidIndex.file(dir, meta.generation()), IndexMeta.FILE_NAME
                        + " does not describe this log's last transaction");
                return null; // a side file of another store, or of another state of this log: rebuild
            }
            index = OidIndex.open(dir, meta.generation(), meta.capacity(), meta.fingerprint(), inMemory);
            index.unseal(meta.logEnd(), meta.lastTid());
            if (index.size() != meta.count()) {
                throw new IndexDamagedException("the oid index " + index.file() + " holds "
                        + index.size() + " oids, " + IndexMeta.FILE_NAME + " says " + meta.count(), null);
            }
            return LogRecovery.recover(segments, meta.logEnd(), meta.lastTxn(), meta.lastTid(), meta.nextOid(),
                    false, durable, this::apply);
        } catch (CorruptStorageException e) {
            throw e;
        } catch (RuntimeException e) {
            if (index != null) {
                index.close();
                index = null;
            }
            IndexHealing.warnRebuild(OidIndex.file(dir, meta.generation()), e.getMessage());
            return null; // missing, stale or damaged: rebuild from the log
        }
    }

    /** Recovers the whole log into a new index of at least {@code capacity} pages. */
    LogRecovery.Result rebuild(List<Segment> segments, long capacity, DurableProof durable) {
        index = OidIndex.create(dir, generation + 1, capacity, inMemory);
        long start = LogPosition.of(segments.get(0).id, LogLayout.SEGMENT_HEADER_SIZE);
        return LogRecovery.recover(segments, start, LogPosition.NONE, Storage.NO_TID, 1, true, durable,
                this::apply);
    }

    /** Closes the index of a refused open: it must not stay mapped. */
    void closeQuietly() {
        if (index != null) {
            index.close();
        }
    }

    private void apply(TransactionView txn) {
        int pages = entries.gather(txn);
        if (index.needsGrowth(pages)) {
            OidIndex old = index;
            index = IndexGenerations.grow(old, pages);
            old.close();
        }
        entries.putInto(index);
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
            return meta.lastTid() == Storage.NO_TID && endId == segments.get(0).id
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
        // is reported by the reads that meet it (FORMAT.md invariant (10)), and a foreign side file fails on
        // the tid.
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
}
