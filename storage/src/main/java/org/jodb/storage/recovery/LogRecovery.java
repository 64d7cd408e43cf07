package org.jodb.storage.recovery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.StorageException;
import org.jodb.storage.log.LogPosition;
import org.jodb.storage.log.RecordCodec;
import org.jodb.storage.log.Segment;
import org.jodb.storage.log.TransactionView;

/**
 * Open-time recovery of the log (FORMAT.md 8): opens and checks every segment, walks the transaction
 * records from a starting point, hands each committed one to a visitor (which rebuilds or catches up the
 * index), and decides what follows the last complete transaction:
 * <ul>
 *   <li>zeros or an end marker: the log simply ends there;</li>
 *   <li>anything else (a record without its commit point, a short record, a bad CRC): if a later valid
 *       record proves this one had been forced before it was written (its {@code durableAt} lies beyond),
 *       the damage is inside the committed region and recovery refuses with {@link CorruptStorageException};
 *       otherwise it is a torn tail and is cut off: zeroed, forced, later segments deleted.</li>
 * </ul>
 */
public final class LogRecovery {

    /** What the log looks like after recovery. */
    public record Result(List<Segment> segments, long end, boolean endClosed, long lastTxn, long lastTid,
                         long nextOid, long transactions, boolean cut) {
    }

    private LogRecovery() {
    }

    /** Opens every {@code log-*.seg} of {@code dir}, oldest first; empty when there are none. */
    public static List<Segment> openSegments(Path dir) {
        List<Integer> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "log-*.seg")) {
            for (Path p : files) {
                int id = Segment.idOf(p);
                if (id >= 0) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        ids.sort(null);
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) != ids.get(i - 1) + 1) {
                throw new CorruptStorageException(dir.resolve(Segment.fileName(ids.get(i - 1) + 1))
                        + " is missing: the log jumps from segment " + ids.get(i - 1) + " to " + ids.get(i)
                        + ". Restore the missing file from a backup.");
            }
        }
        List<Segment> segments = new ArrayList<>();
        try {
            for (int id : ids) {
                segments.add(Segment.open(dir.resolve(Segment.fileName(id)), id));
            }
        } catch (RuntimeException e) {
            segments.forEach(Segment::close);
            throw e;
        }
        return segments;
    }

    /**
     * Walks the log from {@code start} and repairs its tail.
     *
     * @param start       where to start: the first segment's first record, or a position the index is known
     *                    to be consistent up to
     * @param lastTxn     the transaction just before {@code start} ({@code 0} when starting at the beginning)
     * @param lastTid     its tid
     * @param nextOid     the oid counter as of {@code start}
     * @param thorough    also check that nothing but zeros follows the end (crash recovery); a cleanly closed
     *                    store skips this so that opening does not read the whole last segment
     * @param durableTid  a tid known to be durable (what {@code index.meta} records), or 0: bad bytes met before
     *                    the walk reached it are damage, not a torn tail, and are refused before anything is cut
     * @param visitor     receives every complete transaction at or after {@code start}, oldest first
     */
    public static Result recover(List<Segment> segments, long start, long lastTxn, long lastTid, long nextOid,
                                 boolean thorough, long durableTid, Consumer<TransactionView> visitor) {
        int index = indexOf(segments, LogPosition.segment(start));
        if (index < 0) {
            throw new StorageException("recovery start " + LogPosition.describe(start) + " is not in the log");
        }
        long position = start;
        long count = 0;
        while (true) {
            Segment segment = segments.get(index);
            boolean last = index == segments.size() - 1;
            int offset = LogPosition.offset(position);
            if (segment.capacity - offset < RecordCodec.END_MARKER_SIZE
                    || segment.getInt(offset) == RecordCodec.END_MAGIC) {
                if (last) {
                    return new Result(segments, position, true, lastTxn, lastTid, nextOid, count, false);
                }
                index++;
                position = LogPosition.of(segments.get(index).id, RecordCodec.SEGMENT_HEADER_SIZE);
                continue;
            }
            String problem;
            if (segment.getInt(offset) == 0 && last) {
                problem = thorough ? nonZeroAfter(segment, offset) : null;
                if (problem == null) {
                    return new Result(segments, position, false, lastTxn, lastTid, nextOid, count, false);
                }
            } else {
                problem = TransactionView.check(segment, offset);
            }
            if (problem == null) {
                TransactionView txn = TransactionView.read(segment, offset);
                // FORMAT.md invariant (1): tids strictly increase along the chain of transactions.
                if (txn.prevTxn != lastTxn || txn.tid <= lastTid) {
                    throw new CorruptStorageException(segment.file + " offset " + offset + ": transaction " + txn.tid
                            + " does not follow transaction " + lastTid + " at " + LogPosition.describe(lastTxn)
                            + " (it names " + LogPosition.describe(txn.prevTxn) + "). Restore from a backup.");
                }
                visitor.accept(txn);
                long[] maxOid = {nextOid};
                txn.forEachRevision((oid, tid, prev, at, length) -> maxOid[0] = Math.max(maxOid[0], oid + 1));
                nextOid = Math.max(maxOid[0], txn.nextOid);
                lastTxn = txn.position;
                lastTid = txn.tid;
                count++;
                position = LogPosition.of(segment.id, offset + txn.length);
                continue;
            }
            long proof = durableRecordAfter(segments, index, offset);
            if (proof != 0) {
                throw new CorruptStorageException(segment.file + " offset " + offset + ": " + problem
                        + ", inside the committed region (the transaction at " + LogPosition.describe(proof)
                        + " was written after this one was durable). Restore the store from a backup.");
            }
            if (lastTid < durableTid) {
                // FORMAT.md invariant (7): the side file names only durable transactions
                throw new CorruptStorageException(segment.file + " offset " + offset + ": " + problem + ", before"
                        + " transaction " + durableTid + ", which index.meta records as durable: the committed"
                        + " log is damaged (or its segments were replaced by older copies). Nothing was changed."
                        + " Restore the store from a backup.");
            }
            cut(segments, index, offset);
            return new Result(segments.subList(0, index + 1), position, false, lastTxn, lastTid, nextOid, count, true);
        }
    }

    private static int indexOf(List<Segment> segments, int id) {
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).id == id) {
                return i;
            }
        }
        return -1;
    }

    private static String nonZeroAfter(Segment segment, int offset) {
        int i = offset;
        for (; i + 8 <= segment.capacity; i += 8) {
            if (segment.getLong(i) != 0) {
                return "stray bytes after the end of the log at offset " + i;
            }
        }
        for (; i < segment.capacity; i++) {
            if (segment.read(i, 1)[0] != 0) {
                return "stray bytes after the end of the log at offset " + i;
            }
        }
        return null;
    }

    /**
     * Searches every offset after a bad record for a complete transaction whose {@code durableAt} lies beyond
     * the bad record: proof that the bad record had been forced, so it is damage, not a torn write.
     *
     * @return that transaction's position, or 0 if there is none
     */
    private static long durableRecordAfter(List<Segment> segments, int index, int offset) {
        long bad = LogPosition.of(segments.get(index).id, offset);
        for (int i = index; i < segments.size(); i++) {
            Segment s = segments.get(i);
            int from = i == index ? offset + 1 : RecordCodec.SEGMENT_HEADER_SIZE;
            for (int at = from; at <= s.capacity - RecordCodec.TXN_HEADER_SIZE; at++) {
                if (s.getInt(at) == RecordCodec.TXN_MAGIC && TransactionView.check(s, at) == null
                        && TransactionView.read(s, at).durableAt > bad) {
                    return LogPosition.of(s.id, at);
                }
            }
        }
        return 0;
    }

    /** Cuts the torn tail: zeros from {@code offset} on, forced; later segments deleted. */
    private static void cut(List<Segment> segments, int index, int offset) {
        Segment segment = segments.get(index);
        segment.zero(offset, segment.capacity);
        segment.force(offset, segment.capacity);
        for (int i = segments.size() - 1; i > index; i--) {
            Segment later = segments.get(i);
            later.close();
            try {
                Files.deleteIfExists(later.file);
            } catch (IOException e) {
                throw new StorageException("cannot remove the torn segment " + later.file + ": " + e.getMessage(), e);
            }
        }
        Segment.forceDirectory(segment.file.getParent());
    }
}
