package org.jodb.storage;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.storage.internal.index.IndexDamagedException;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.RevisionView;
import org.jodb.storage.internal.log.Segment;

/**
 * {@link Storage#loadAllAt}: many revisions at one snapshot, read with as few index lookups and page touches
 * as the files allow. The distinct oids are looked up in oid order with one {@link OidIndex.Lookup}, so that
 * the index's pages are met in order, each at most once from Chronicle Map; then the records are read in log order (by segment
 * and offset), not in the order asked, so that records written together are read together and each mapped
 * page is touched in one pass. The checks and the MVCC rules are those of {@link RevisionReads#loadAt}: a
 * revision newer than the snapshot is checked whole before its {@code prev} is followed back, the revision
 * found is checked against its CRC as it is copied out, and a chain that ends in revisions a pack removed
 * fails the read.
 *
 * <p>A disagreement of an unverified index with the log, or a pack that swapped the log meanwhile, starts the
 * batch over with the current index, as a single read does. Thread-safe: it keeps nothing between calls.
 */
final class BatchReads {

    private final Log log;
    private final IndexGenerations indexes;
    private final IndexHealing healing;
    private final RevisionReads reads;

    BatchReads(Log log, IndexGenerations indexes, IndexHealing healing, RevisionReads reads) {
        this.log = log;
        this.indexes = indexes;
        this.healing = healing;
        this.reads = reads;
    }

    /**
     * The revisions of {@code oids} current at {@code tid}, in the order asked; {@code null} for an oid that
     * did not exist then.
     *
     * @throws StorageException naming the oid whose read failed (a {@link CorruptStorageException} for damage
     *         of the log), or when {@code tid} is older than the oldest snapshot kept
     */
    Revision[] loadAllAt(long[] oids, long tid) {
        Objects.requireNonNull(oids, "oids");
        reads.requireServed(tid);
        long[] distinct = distinct(oids);
        Batch batch = new Batch(distinct, tid);
        while (true) {
            OidIndex used = indexes.current();
            try {
                if (batch.read(used)) {
                    return batch.inAskedOrder(oids);
                }
            } catch (IndexDamagedException | CorruptStorageException e) {
                try {
                    healing.healOrThrow(used, e);
                } catch (StorageException unhealed) {
                    throw failedAt(batch.reading, oids.length, unhealed);
                }
            } catch (RevisionReads.SegmentGone e) {
                // a pack swapped the log meanwhile: look again
            } catch (StorageException e) {
                throw failedAt(batch.reading, oids.length, e);
            }
        }
    }

    /** The oids of {@code oids}, each once, sorted. */
    static long[] distinct(long[] oids) {
        long[] sorted = oids.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
    }

    /**
     * {@code e}, of the same kind, its message naming the oid it happened at before its own (which says the
     * remedy): one failing oid fails the batch.
     */
    private static StorageException failedAt(long oid, int batchSize, StorageException e) {
        String message = "cannot load oid " + oid + (batchSize > 1 ? " (one of " + batchSize + " in one batch)" : "")
                + ": " + e.getMessage();
        return e instanceof CorruptStorageException ? new CorruptStorageException(message, e)
                : new StorageException(message, e);
    }

    /** One batch: its distinct oids, sorted, and what each resolved to. */
    private final class Batch {
        private final long[] oids;
        private final long tid;
        /** The position of each oid's revision at the snapshot; {@link LogPosition#NONE} for none. */
        private final long[] positions;
        /** The tid of that revision. */
        private final long[] tids;
        /** The tid of the revision after it that the read went back from; {@code Long.MAX_VALUE} if none. */
        private final long[] newerTids;
        private final Revision[] found;
        /** The oid being read, for the failure's message. */
        long reading;

        Batch(long[] oids, long tid) {
            this.oids = oids;
            this.tid = tid;
            this.positions = new long[oids.length];
            this.tids = new long[oids.length];
            this.newerTids = new long[oids.length];
            this.found = new Revision[oids.length];
        }

        /**
         * Reads every oid with index {@code used}: false when the index may have lost one of them and was
         * rebuilt (the caller starts over).
         *
         * @throws RevisionReads.SegmentGone when a pack swapped the log meanwhile
         */
        boolean read(OidIndex used) {
            Arrays.fill(found, null);
            if (!lookUp(used)) {
                return false;
            }
            long committedEnd = log.committedEnd();
            int[] order = inLogOrder();
            boolean wentBack = false;
            for (int i : order) {
                if (positions[i] != LogPosition.NONE) {
                    wentBack |= goBackToSnapshot(used, i, committedEnd);
                }
            }
            for (int i : wentBack ? inLogOrder() : order) {
                if (positions[i] != LogPosition.NONE) {
                    copyOut(used, i, committedEnd);
                }
            }
            return true;
        }

        /**
         * The position of each oid's newest revision, in oid order (one index lookup per page of oids); false
         * when a miss was healed.
         */
        private boolean lookUp(OidIndex used) {
            OidIndex.Lookup entry = new OidIndex.Lookup();
            for (int i = 0; i < oids.length; i++) {
                reading = oids[i];
                if (used.get(oids[i], entry)) {
                    positions[i] = entry.position();
                } else if (healing.healedAfterMiss(used, oids[i])) {
                    return false; // lost by damage, or never committed: the rebuilt index knows
                } else {
                    positions[i] = LogPosition.NONE;
                }
            }
            return true;
        }

        /**
         * Moves {@code positions[i]} from the newest revision back to the one current at the snapshot, reading
         * only the revisions on the way (most often none: the newest is the one). Returns whether it moved.
         */
        private boolean goBackToSnapshot(OidIndex used, int i, long committedEnd) {
            long oid = oids[i];
            reading = oid;
            long position = positions[i];
            long newer = Long.MAX_VALUE;
            while (true) {
                Segment s = segment(used, oid, position);
                RevisionView.requireInside(s, committedEnd, position, oid); // before its tid is read
                long at = RevisionView.tidAt(s, position); // checked with the whole record before it counts
                if (at <= tid) {
                    positions[i] = position;
                    tids[i] = at;
                    newerTids[i] = newer;
                    return newer != Long.MAX_VALUE;
                }
                RevisionView.check(s, committedEnd, position, oid); // its prev is followed: check it first
                RevisionReads.olderThan(s, position, oid, at, newer);
                long prev = RevisionView.prevAt(s, position);
                if (prev == LogPosition.NONE) {
                    positions[i] = LogPosition.NONE; // created after the snapshot
                    return true;
                }
                if (prev == LogPosition.PACKED) {
                    throw reads.packedAway(oid, tid, at);
                }
                newer = at;
                position = prev;
            }
        }

        /** Copies out the revision at {@code positions[i]}, checked against its CRC. */
        private void copyOut(OidIndex used, int i, long committedEnd) {
            long oid = oids[i];
            reading = oid;
            long position = positions[i];
            Segment s = segment(used, oid, position);
            byte[] data = RevisionView.checkedData(s, committedEnd, position, oid);
            RevisionReads.olderThan(s, position, oid, tids[i], newerTids[i]);
            found[i] = new Revision(oid, tids[i], data);
        }

        private Segment segment(OidIndex used, long oid, long position) {
            Segment s = log.segment(LogPosition.segment(position));
            if (s == null) {
                healing.missingSegment(used, oid, position);
                throw new RevisionReads.SegmentGone();
            }
            return s;
        }

        /** The indexes of the oids, ordered by the position each resolved to so far: log order. */
        private int[] inLogOrder() {
            Integer[] order = new Integer[oids.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingLong(i -> positions[i]));
            return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        }

        /** The answers for {@code asked}, which may repeat oids, in its order. */
        Revision[] inAskedOrder(long[] asked) {
            Revision[] answers = new Revision[asked.length];
            boolean[] given = new boolean[oids.length];
            for (int i = 0; i < asked.length; i++) {
                int j = Arrays.binarySearch(oids, asked[i]);
                Revision r = found[j];
                // a repeated oid gets bytes of its own: the caller owns each answer's bytes
                answers[i] = r == null || !given[j] ? r : new Revision(r.oid(), r.tid(), r.data().clone());
                given[j] = true;
            }
            return answers;
        }
    }
}
