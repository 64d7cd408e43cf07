package org.jodb.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Revision;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.storage.internal.index.IndexDamagedException;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.RevisionView;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;

/**
 * Reads of revisions: the newest ({@link #load}), the one current at a snapshot ({@link #loadAt}; many at once
 * are {@link BatchReads}), a list of them ({@link #history}), and the current index entry a vote checks
 * ({@link #current}).
 *
 * <p>Reads take no lock: they ask the current index (Chronicle Map, internally locked per segment) and then
 * read immutable log bytes, each checked against what the index said. A read that finds its segment gone
 * after a pack swapped the log asks the new index again; a disagreement of an unverified index with the log is
 * healed ({@link IndexHealing}) and asked again. Each thread keeps a {@link LoadMemo} of what its loads found,
 * which its votes recall instead of asking the index again.
 */
final class RevisionReads {

    /**
     * Each thread's holder for index lookups, so that a load allocates nothing but its result, and a copy of an
     * index page when memory lacks it (the profile of a read-everything workload had a boxed entry, a view object
     * and a byte array per load), and its memo of
     * what its loads found, for its votes: one thread-local lookup per load serves both.
     */
    private static final ThreadLocal<LoadMemo> READS = ThreadLocal.withInitial(LoadMemo::new);
    /**
     * The memo of the thread that asked last, so that a thread loading many records in a row (a cold read of a
     * whole map) skips the thread-local lookup: in the profile of such a read it was 5% of the thread's samples,
     * the thread's map of thread-locals probing past the slots of the other libraries' thread-locals. Another
     * thread finds a holder not its own and goes through {@link #READS}; a stale or racing read of this field
     * only costs that lookup (the holder's fields are final, so a holder seen is whole).
     */
    private static ThreadMemo lastAsker = new ThreadMemo(null, null);

    /** The calling thread's memo. */
    private static LoadMemo memo() {
        ThreadMemo last = lastAsker;
        Thread current = Thread.currentThread();
        if (last.thread == current) {
            return last.memo;
        }
        LoadMemo memo = READS.get();
        lastAsker = new ThreadMemo(current, memo);
        return memo;
    }

    /** A thread and its memo. */
    private static final class ThreadMemo {
        final Thread thread;
        final LoadMemo memo;

        ThreadMemo(Thread thread, LoadMemo memo) {
            this.thread = thread;
            this.memo = memo;
        }
    }

    /** What {@link #loadAt(OidIndex, OidIndex.Lookup, long, long)} returns when the index has no entry. */
    private static final Revision NO_ENTRY = new Revision(-1, Storage.NO_TID, new byte[0]);

    private final Path dir;
    private final Log log;
    private final IndexGenerations indexes;
    private final IndexHealing healing;
    private final LastCommit last;
    /**
     * The oldest snapshot loadAt serves ({@link Storage#oldestSnapshot}): raised by each pack's swap, and by a
     * read that meets a revision whose older ones a pack removed (packs of earlier runs are not recorded in
     * the files). Only grows.
     */
    private final AtomicLong oldestSnapshot = new AtomicLong(Storage.NO_TID);

    RevisionReads(Path dir, Log log, IndexGenerations indexes, IndexHealing healing, LastCommit last) {
        this.dir = dir;
        this.log = log;
        this.indexes = indexes;
        this.healing = healing;
        this.last = last;
    }

    /** {@link Storage#load}: the newest revision of {@code oid}, {@code null} when there is none. */
    Revision load(long oid) {
        LoadMemo reads = memo();
        OidIndex.Lookup entry = reads.lookup;
        while (true) {
            long seen = last.tid(); // before the index is asked: LoadMemo
            OidIndex used = indexes.current();
            try {
                if (!used.get(oid, entry)) {
                    if (healing.healedAfterMiss(used, oid)) {
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
                healing.missingSegment(used, oid, position); // or a pack swapped the log meanwhile: look again
            } catch (IndexDamagedException | CorruptStorageException e) {
                healing.healOrThrow(used, e);
            }
        }
    }

    long oldestSnapshot() {
        return oldestSnapshot.get();
    }

    /** Snapshots before {@code tid} can no longer be served: a pack removed revisions they need. */
    void raiseOldestSnapshot(long tid) {
        oldestSnapshot.accumulateAndGet(tid, Math::max);
    }

    /** {@link Storage#loadAt}: the revision of {@code oid} current at {@code tid}, {@code null} if none was. */
    Revision loadAt(long oid, long tid) {
        requireServed(tid);
        OidIndex.Lookup entry = memo().lookup;
        while (true) {
            OidIndex used = indexes.current();
            try {
                Revision found = loadAt(used, entry, oid, tid);
                if (found != NO_ENTRY) {
                    return found;
                }
                if (!healing.healedAfterMiss(used, oid)) {
                    return null; // a miss is asked again only of an index that may have lost the oid
                }
            } catch (IndexDamagedException | CorruptStorageException e) {
                healing.healOrThrow(used, e);
            } catch (SegmentGone e) {
                // a pack swapped the log meanwhile: look again
            }
        }
    }

    /**
     * Refuses a read at a snapshot older than {@link #oldestSnapshot()}: also for an object whose revision at
     * {@code tid} survived, since a snapshot is served whole or not at all (an object pack removed as
     * unreachable would otherwise read as never having existed).
     *
     * @throws StorageException naming the oldest snapshot kept
     */
    void requireServed(long tid) {
        long oldest = oldestSnapshot.get();
        if (tid < oldest) {
            throw new StorageException("snapshot tid " + tid + " is older than the oldest snapshot storage " + dir
                    + " keeps (tid " + oldest + "): what it reads was removed by pack. Start a new transaction to"
                    + " read a newer snapshot.");
        }
    }

    /**
     * The failure of a read at {@code tid} that went back from revision {@code found}, the oldest kept of
     * {@code oid}, to revisions a pack removed; snapshots before {@code found} are no longer served.
     */
    StorageException packedAway(long oid, long tid, long found) {
        raiseOldestSnapshot(found); // a pack of an earlier run (the files do not record packs)
        return new StorageException("the revision of oid " + oid + " as of tid " + tid + " was removed by"
                + " pack; the oldest kept revision has tid " + found
                + ". Start a new transaction to read a newer snapshot.");
    }

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
                healing.missingSegment(used, oid, position);
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
                throw packedAway(oid, tid, found);
            }
            newer = found;
            position = prev;
        }
    }

    /** {@link Storage#history}: up to {@code max} revisions of {@code oid}, newest first. */
    List<RevisionInfo> history(long oid, int max) {
        while (true) {
            OidIndex used = indexes.current();
            try {
                List<RevisionInfo> found = history(used, oid, max);
                if (found != null) {
                    return found;
                }
                if (!healing.healedAfterMiss(used, oid)) {
                    return List.of(); // a miss is asked again only of an index that may have lost the oid
                }
            } catch (IndexDamagedException | CorruptStorageException e) {
                healing.healOrThrow(used, e);
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
                healing.missingSegment(used, oid, position);
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

    /**
     * The current index entry of {@code oid}, for vote's conflict checks and the new record's {@code prev}
     * (commit lock), {@code null} when there is none. What this thread's last load of it found is taken when
     * no commit published since (the load checked it). An entry of an unverified index is checked against the
     * log first (a damaged entry would otherwise become a committed record's {@code prev}), and so is a miss
     * for an oid the writer read at {@code serial}.
     *
     * @param serial the tid the writer read, {@link Storage#NO_TID} for an object it created
     */
    OidIndex.Entry current(long oid, long serial) {
        while (true) {
            OidIndex used = indexes.current();
            OidIndex.Entry loaded = memo().recall(used, last.tid(), oid);
            if (loaded != null) {
                return loaded;
            }
            try {
                OidIndex.Entry entry = used.get(oid);
                if (used.verified()) {
                    return entry;
                }
                if (entry == null) {
                    if (serial == Storage.NO_TID || !healing.heal(used, "it has no entry for oid " + oid
                            + ", read at tid " + serial)) {
                        return null;
                    }
                    continue;
                }
                Segment s = log.segment(LogPosition.segment(entry.position()));
                if (s == null) {
                    healing.missingSegment(used, oid, entry.position());
                    continue;
                }
                // The entry is in question here, not the data (loads check its CRC): vote pays this under the
                // commit lock for each oid whose load another commit has passed since (LoadMemo), so no CRC.
                RevisionView.checkHeader(s, log.committedEnd(), entry.position(), oid);
                long tid = RevisionView.tidAt(s, entry.position());
                requireTid(s, entry.position(), oid, entry.tid(), tid);
                return entry;
            } catch (IndexDamagedException | CorruptStorageException e) {
                healing.healOrThrow(used, e);
            }
        }
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

    /** Checks that a revision reached through a newer one's {@code prev} is older (FORMAT.md invariant (9)). */
    static void olderThan(Segment s, long position, long oid, long tid, long newerTid) {
        if (tid >= newerTid) {
            throw s.damaged(LogPosition.offset(position), "oid " + oid + "'s revision with tid " + tid
                    + " is named as older than its revision with tid " + newerTid);
        }
    }

    /** Thrown by a read that found its segment gone after a pack swapped the log (the reader asks again). */
    static final class SegmentGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SegmentGone() {
            super(null, null, false, false);
        }
    }
}
