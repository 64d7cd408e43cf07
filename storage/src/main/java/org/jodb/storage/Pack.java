package org.jodb.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.storage.index.OidIndex;
import org.jodb.storage.log.Log;
import org.jodb.storage.log.LogPosition;
import org.jodb.storage.log.RecordCodec;
import org.jodb.storage.log.RevisionView;
import org.jodb.storage.log.Segment;
import org.jodb.storage.log.TransactionView;
import org.jodb.storage.recovery.PackCommit;

/**
 * One run of {@link MappedFileStorage#pack}: copies what is still needed into new segments and swaps them in
 * (FORMAT.md 7.2). Runs under the commit lock, so the log does not move; readers keep reading the old
 * segments until the swap and then retry against the new index.
 *
 * <p>Kept: every revision, of an object reachable from the root as of its newest revision, with a tid after
 * packTid, plus the newest one at or before packTid. Every transaction header is kept (with only its kept
 * revisions), so the tid chain, {@code transactionsAfter} and {@code history} metadata survive. When the
 * store has no root object yet nothing counts as unreachable: pack then only drops old revisions.
 */
final class Pack {

    private final MappedFileStorage storage;
    private final Path dir;
    private final Log log;

    Pack(MappedFileStorage storage, Path dir) {
        this.storage = storage;
        this.dir = dir;
        this.log = storage.log;
    }

    void run(long packTid, ReferenceFinder references) {
        if (storage.lastTxn == LogPosition.NONE) {
            return;
        }
        log.forceAll();
        OidIndex index = storage.index;
        Map<Long, Long> keepFrom = oldestKept(index, packTid, live(index, references));

        List<Segment> old = log.ordered();
        Output out = new Output(log.nextSegmentId());
        OidIndex packed = OidIndex.create(dir, index.generation() + 1, index.capacity());
        try {
            long lastTxn = copy(keepFrom, out, packed);
            out.forceAll();
            // the commit point of pack: from here on the swap is redone after a crash (FORMAT.md 7.2)
            PackCommit.write(dir, old.get(0).id, old.get(old.size() - 1).id, out.segments.get(0).id,
                    out.segments.get(out.segments.size() - 1).id);
            for (Segment s : out.segments) {
                s.moveTo(dir.resolve(Segment.fileName(s.id)));
            }
            for (Segment s : old) {
                Files.deleteIfExists(s.file);
            }
            Segment.forceDirectory(dir);
            Files.deleteIfExists(dir.resolve(PackCommit.FILE_NAME));
            Segment.forceDirectory(dir);
            storage.swapIndex(packed);
            log.replace(old, out.segments, out.end());
            storage.lastTxn = lastTxn;
        } catch (IOException | RuntimeException e) {
            if (Files.exists(dir.resolve(PackCommit.FILE_NAME))) {
                // committed but not swapped in this process: the store must be reopened to finish the pack
                storage.close();
                throw new StorageException("pack of " + dir + " failed after its commit point: " + e.getMessage()
                        + ". The storage was closed; reopening it completes the pack.", e);
            }
            packed.close();
            out.discard();
            try {
                Files.deleteIfExists(packed.file());
            } catch (IOException ignored) {
                // a stale index generation is deleted at the next open
            }
            throw e instanceof StorageException se ? se
                    : new StorageException("pack of " + dir + " failed: " + e.getMessage()
                    + ". Nothing changed; free disk space and retry.", e);
        }
    }

    /** The oids to keep: reachable from the root, or all of them when there is no root yet. */
    private Set<Long> live(OidIndex index, ReferenceFinder references) {
        Set<Long> live = new HashSet<>();
        if (index.get(Storage.ROOT_OID) == null) {
            index.forEach((oid, position, tid) -> live.add(oid));
            return live;
        }
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.push(Storage.ROOT_OID);
        while (!todo.isEmpty()) {
            long oid = todo.pop();
            OidIndex.Entry entry = index.get(oid);
            if (entry == null || !live.add(oid)) {
                continue; // dangling reference, or seen already
            }
            references.references(RevisionView.read(log, entry.position()).data(), ref -> {
                if (!live.contains(ref)) {
                    todo.push(ref);
                }
            });
        }
        return live;
    }

    /** For each kept oid, the position of its oldest revision to keep. */
    private Map<Long, Long> oldestKept(OidIndex index, long packTid, Set<Long> live) {
        Map<Long, Long> keepFrom = new HashMap<>(live.size() * 2);
        for (long oid : live) {
            OidIndex.Entry entry = index.get(oid);
            long position = entry.position();
            RevisionView revision = RevisionView.read(log, position);
            while (revision.tid() > packTid && revision.prev() != LogPosition.NONE
                    && revision.prev() != LogPosition.PACKED) {
                position = revision.prev();
                revision = RevisionView.read(log, position);
            }
            keepFrom.put(oid, position);
        }
        return keepFrom;
    }

    /** Copies every transaction, with its kept revisions, into {@code out}; returns the last one's position. */
    private long copy(Map<Long, Long> keepFrom, Output out, OidIndex packed) {
        List<Long> transactions = new ArrayList<>();
        for (long p = storage.lastTxn; p != LogPosition.NONE; ) {
            transactions.add(p);
            p = TransactionView.read(log.segment(LogPosition.segment(p)), LogPosition.offset(p)).prevTxn;
        }
        Collections.reverse(transactions);
        Map<Long, Long> head = new HashMap<>();
        long prevTxn = LogPosition.NONE;
        for (long p : transactions) {
            TransactionView txn = TransactionView.read(log.segment(LogPosition.segment(p)), LogPosition.offset(p));
            List<RecordCodec.DataRecord> kept = new ArrayList<>();
            txn.forEachRevision((oid, tid, prev, position, length) -> {
                Long from = keepFrom.get(oid);
                if (from == null || position < from) {
                    return; // unreachable, or older than any snapshot at or after packTid needs
                }
                Long newer = head.get(oid);
                long newPrev = newer != null ? newer : prev == LogPosition.NONE ? LogPosition.NONE : LogPosition.PACKED;
                kept.add(new RecordCodec.DataRecord(oid, newPrev, RevisionView.read(log, position).data()));
            });
            byte[] user = RecordCodec.truncatedUtf8(txn.user);
            byte[] note = RecordCodec.truncatedUtf8(txn.note);
            long position = out.reserve(RecordCodec.transactionSize(user, note, kept));
            int offset = LogPosition.offset(position);
            // durableAt = its own position: pack output is forced before it is used (FORMAT.md invariant (5))
            byte[] bytes = RecordCodec.encodeTransaction(
                    new RecordCodec.TxnHeader(txn.tid, txn.timeMillis, prevTxn, position, txn.nextOid),
                    txn.user, txn.note, kept, offset);
            out.write(position, bytes);
            int at = offset + RecordCodec.firstDataOffset(user.length, note.length);
            for (RecordCodec.DataRecord r : kept) {
                long revision = LogPosition.of(LogPosition.segment(position), at);
                head.put(r.oid(), revision);
                packed.put(r.oid(), revision, txn.tid);
                at += RecordCodec.DATA_HEADER_SIZE + r.data().length;
            }
            prevTxn = position;
        }
        return prevTxn;
    }

    /** Pack's output segments, written as {@code log-N.seg.pack} until the pack commits. */
    private final class Output {
        final List<Segment> segments = new ArrayList<>();
        private int nextId;
        private Segment current;
        private int offset;

        Output(int firstId) {
            this.nextId = firstId;
        }

        long reserve(int length) {
            if (current == null || current.capacity - offset < length + RecordCodec.END_MARKER_SIZE) {
                if (current != null) {
                    current.putInt(offset, RecordCodec.END_MAGIC);
                }
                int needed = RecordCodec.SEGMENT_HEADER_SIZE + length + RecordCodec.END_MARKER_SIZE;
                int capacity = Math.max(log.segmentSize(), (needed + 7) & ~7);
                int id = nextId++;
                current = Segment.create(dir, Segment.fileName(id) + PackCommit.OUTPUT_SUFFIX, id, capacity);
                segments.add(current);
                offset = RecordCodec.SEGMENT_HEADER_SIZE;
            }
            return LogPosition.of(current.id, offset);
        }

        void write(long position, byte[] bytes) {
            current.write(LogPosition.offset(position), bytes, 0, bytes.length);
            offset = LogPosition.offset(position) + bytes.length;
        }

        long end() {
            return LogPosition.of(current.id, offset);
        }

        void forceAll() {
            for (Segment s : segments) {
                s.force(0, s.capacity);
            }
        }

        void discard() {
            for (Segment s : segments) {
                s.close();
                try {
                    Files.deleteIfExists(s.file);
                } catch (IOException ignored) {
                    // deleted at the next open
                }
            }
        }
    }
}
