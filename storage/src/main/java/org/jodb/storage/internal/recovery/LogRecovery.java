package org.jodb.storage.internal.recovery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.StorageException;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;

/**
 * Open-time recovery of the log (FORMAT.md 8): opens and checks every segment, checks that the log starts where
 * it must, walks the transaction records from a starting point, hands each committed one to a visitor (which
 * rebuilds or catches up the index), and decides what follows the last complete transaction:
 * <ul>
 *   <li>zeros: the log simply ends there;</li>
 *   <li>an end marker: the log continues in the next segment, which must exist (the marker is written only
 *       after it was named, FORMAT.md 7.1 step 4);</li>
 *   <li>anything else: {@link TailJudge} looks for what proves the transaction there complete; if anything
 *       does, the bytes are damage inside the committed log and recovery refuses with
 *       {@link CorruptStorageException}, changing nothing; otherwise they are the torn write of the last
 *       transaction and are cut (zeroed, forced, later empty segments deleted) with a warning naming what was
 *       dropped.</li>
 * </ul>
 */
public final class LogRecovery {

    private static final System.Logger LOG = System.getLogger(LogRecovery.class.getName());

    /** What the log looks like after recovery. */
    public record Result(List<Segment> segments, long end, long lastTxn, long lastTid, long nextOid,
                         long transactions, boolean cut) {
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
            checkStart(segments);
        } catch (RuntimeException e) {
            segments.forEach(Segment::close);
            throw e;
        }
        return segments;
    }

    /**
     * Refuses a log whose first segments are missing (FORMAT.md 8, "the start of the log"): its first
     * transaction record must name no previous one, and a log that does not start at segment 1 is pack's
     * output, whose first segment starts with a transaction. A first segment holding only an end marker (the
     * first transaction did not fit it) is skipped. A damaged first record is left to the walk.
     */
    static void checkStart(List<Segment> segments) {
        for (Segment s : segments) {
            if (s.capacity < LogLayout.SEGMENT_HEADER_SIZE + LogLayout.TXN_HEADER_SIZE) {
                return; // too small for a record: the walk finds the segment closed
            }
            int first = s.getInt(LogLayout.SEGMENT_HEADER_SIZE);
            if (first == LogLayout.END_MAGIC) {
                continue;
            }
            if (first == LogLayout.TXN_MAGIC) {
                long prev = s.getLong(LogLayout.SEGMENT_HEADER_SIZE + LogLayout.T_PREV_TXN);
                if (prev != LogPosition.NONE) {
                    throw new CorruptStorageException(s.file.resolveSibling(Segment.fileName(LogPosition.segment(prev)))
                            + " is missing: the first transaction of the log, at " + s.file + " offset "
                            + LogLayout.SEGMENT_HEADER_SIZE + ", names a transaction before it at "
                            + LogPosition.describe(prev) + " (or that record is damaged). Restore the segments before "
                            + s.file.getFileName() + " from a backup.");
                }
            } else if (s.id != 1 && s.nonZeroEnd(LogLayout.SEGMENT_HEADER_SIZE) == LogLayout.SEGMENT_HEADER_SIZE) {
                throw new CorruptStorageException(s.file.resolveSibling(Segment.fileName(s.id - 1)) + " is missing:"
                        + " the log starts at " + s.file + ", which holds no transaction; only pack starts a log past"
                        + " segment 1, and its first segment always starts with one. Restore the segments before "
                        + s.file.getFileName() + " from a backup.");
            }
            return;
        }
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
     * @param durable     what is known to be durable from outside the log: bad bytes met before the walk reached
     *                    it are damage, not a torn tail, and are refused before anything is cut
     * @param visitor     receives every complete transaction at or after {@code start}, oldest first
     */
    public static Result recover(List<Segment> segments, long start, long lastTxn, long lastTid, long nextOid,
                                 boolean thorough, DurableProof durable, Consumer<TransactionView> visitor) {
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
            if (segment.capacity - offset < LogLayout.END_MARKER_SIZE
                    || segment.getInt(offset) == LogLayout.END_MAGIC) {
                if (last) {
                    // FORMAT.md invariant (4): the marker is written only once the next segment exists
                    throw new CorruptStorageException(segment.file + " offset " + offset + ": the segment is closed"
                            + " for appends here (an end marker, written only once the next segment existed), but "
                            + segment.file.resolveSibling(Segment.fileName(segment.id + 1)).getFileName() + " is"
                            + " missing: the newest segment and its transactions are gone. Restore it from a backup.");
                }
                index++;
                position = LogPosition.of(segments.get(index).id, LogLayout.SEGMENT_HEADER_SIZE);
                continue;
            }
            String problem;
            if (segment.getInt(offset) == 0 && last) {
                problem = thorough ? nonZeroAfter(segment, offset) : null;
                if (problem == null) {
                    return new Result(segments, position, lastTxn, lastTid, nextOid, count, false);
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
                            + " (it names " + LogPosition.describe(txn.prevTxn) + "): the log has a gap or a"
                            + " replaced segment. Restore from a backup.");
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
            TailJudge.Proof proof = TailJudge.proof(segments, index, offset, lastTxn, lastTid, durable);
            if (proof != null) {
                throw new CorruptStorageException(segment.file + " offset " + offset + ": " + problem + ", inside the"
                        + " committed log: " + proof.text() + ". Nothing was changed. Restore the store from a"
                        + " backup." + (proof.forced() ? "" : " (After a power loss this can also be transactions"
                        + " whose commits never returned, written to the disk out of order; jodb cannot tell that"
                        + " from damage and keeps every byte.)"));
            }
            warnCut(segments, index, offset, problem, lastTid);
            cut(segments, index, offset);
            return new Result(segments.subList(0, index + 1), position, lastTxn, lastTid, nextOid, count, true);
        }
    }

    /** Says what a torn-tail cut drops, unless it drops nothing but empty segments. */
    private static void warnCut(List<Segment> segments, int index, int offset, String problem, long lastTid) {
        Segment segment = segments.get(index);
        if (segment.nonZeroEnd(offset) == offset) {
            return; // a later segment was named, its predecessor's end marker not yet written: nothing is lost
        }
        LOG.log(System.Logger.Level.WARNING, segment.file + " offset " + offset + ": " + problem + ". Nothing later"
                + " in the files proves this last transaction complete, so it is taken for a torn write (a commit"
                + " that never returned) and cut (FORMAT.md 8): dropped " + TailJudge.dropped(segment, offset)
                + "; the log now ends after transaction " + lastTid + ". If that commit had returned, the store was"
                + " damaged: restore it from a backup.");
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
