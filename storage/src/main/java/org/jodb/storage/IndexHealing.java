package org.jodb.storage;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jodb.spi.CorruptStorageException;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;

/**
 * Answers a disagreement between the oid index and the log (FORMAT.md 5).
 *
 * <p>An index trusted from disk after a clean close is not {@linkplain OidIndex#verified() verified}. Any
 * disagreement of it with the log (an entry naming no record of its oid and tid, a place outside the committed
 * log, a miss for an oid below the allocator's next one, a failure of Chronicle Map) is taken for damage of the
 * index: the index is rebuilt from the log under the commit lock ({@link IndexRebuild}), swapped in as growth
 * swaps it (readers keep the old one until they ask again), one warning names the file, and the caller asks
 * again. Only a disagreement with a verified index is damage of the log, reported as such. When a rebuild
 * meets damage of the log, later disagreements report their own damage instead of reading the whole log again.
 */
final class IndexHealing {

    /** The storage's logger: warnings about the index are the storage's, whichever class notices. */
    private static final System.Logger LOG = System.getLogger(MappedFileStorage.class.getName());

    private final Path dir;
    private final Log log;
    private final IndexGenerations indexes;
    private final ReentrantLock commitLock;
    private final LastCommit last;
    private final AtomicLong nextOid;
    private final Lifecycle lifecycle;
    /** The least capacity of a rebuilt index, in pages (the options' initial capacity). */
    private final long minCapacity;
    /** Set when a rebuild failed on damage of the log. */
    private volatile CorruptStorageException rebuildFailure;
    /** How many times a disagreement rebuilt the index since open (tests). */
    private final AtomicInteger rebuilds = new AtomicInteger();

    IndexHealing(Path dir, Log log, IndexGenerations indexes, ReentrantLock commitLock, LastCommit last,
                 AtomicLong nextOid, Lifecycle lifecycle, long minCapacity) {
        this.dir = dir;
        this.log = log;
        this.indexes = indexes;
        this.commitLock = commitLock;
        this.last = last;
        this.nextOid = nextOid;
        this.lifecycle = lifecycle;
        this.minCapacity = minCapacity;
    }

    /**
     * Answers a disagreement between the index {@code used} and the log, or a failure of Chronicle Map on it:
     * rebuilds an unverified index (see the class comment). A thread that finds the index replaced already
     * just asks again.
     *
     * @param why what disagreed, for the warning
     * @return {@code true} when the caller should ask the (new) index again; {@code false} when {@code used} is
     *         verified, so that the disagreement is the log's (or a genuine miss)
     * @throws CorruptStorageException naming the log file and offset when the rebuild meets damage of the log, now
     *                                 or at an earlier heal: the unverified index may have lost what the caller
     *                                 asked for, so a miss must not be answered as one
     */
    boolean heal(OidIndex used, String why) {
        if (used.verified()) {
            return false;
        }
        lifecycle.checkOpen();
        throwEarlierFailure();
        commitLock.lock(); // a writer calling from vote or finish holds it already (reentrant)
        try {
            lifecycle.checkOpen();
            if (indexes.current() != used) {
                return true; // rebuilt, grown or packed meanwhile
            }
            OidIndex rebuilt;
            try {
                rebuilt = IndexRebuild.fromLog(log, last.position(), Math.max(used.capacity(), minCapacity),
                        used.pagesInMemoryLimit(), indexes::next);
            } catch (CorruptStorageException e) {
                rebuildFailure = e;
                throw e;
            }
            indexes.swapDamaged(rebuilt);
            rebuilds.incrementAndGet();
            warnRebuild(used.file(), why + "; now " + rebuilt.file());
            return true;
        } finally {
            commitLock.unlock();
        }
    }

    private void throwEarlierFailure() {
        CorruptStorageException failed = rebuildFailure;
        if (failed != null) {
            throw new CorruptStorageException(failed.getMessage(), failed);
        }
    }

    /**
     * {@link #heal} for a failure: returns when the caller should ask again, rethrows {@code problem}
     * otherwise. When the rebuild itself meets damage of the log, {@code problem} (which names the record the
     * caller met) is thrown with the rebuild's failure attached.
     */
    void healOrThrow(OidIndex used, RuntimeException problem) {
        boolean healed;
        String message = String.valueOf(problem.getMessage());
        String why = message.endsWith(Segment.DAMAGE_REMEDY) // not a remedy for an index that is rebuilt
                ? "an entry names " + message.substring(0, message.length() - Segment.DAMAGE_REMEDY.length())
                : message;
        try {
            healed = heal(used, why);
        } catch (CorruptStorageException rebuild) {
            problem.addSuppressed(rebuild);
            throw problem;
        }
        if (!healed) {
            throw problem;
        }
    }

    /**
     * {@link #heal} after {@code used} had no entry for {@code oid}: only an oid below the allocator's next
     * one may have been lost by damage; a higher one is a genuine miss at once.
     *
     * @return whether the caller should ask the (new) index again
     */
    boolean healedAfterMiss(OidIndex used, long oid) {
        return oid < nextOid.get() && heal(used, "it has no entry for oid " + oid);
    }

    /**
     * Makes sure the index is verified before an operation that must trust its set of oids (pack: an oid the
     * index lost would count as unreachable and be removed).
     */
    void verify() {
        OidIndex used = indexes.current();
        if (used.verified()) {
            return;
        }
        throwEarlierFailure();
        heal(used, "checked against the log before pack, which must not miss an object");
    }

    /**
     * A read found no segment at a position: fine if pack replaced the index meanwhile (the caller asks
     * again), a broken FORMAT.md invariant (9) otherwise, which an unverified index answers with a rebuild
     * (the caller's {@link #healOrThrow}) and a verified one, built from the log, only when a segment vanished
     * under it.
     *
     * @throws CorruptStorageException when {@code used} is still the current index
     */
    void missingSegment(OidIndex used, long oid, long position) {
        if (used == indexes.current()) {
            lifecycle.checkOpen();
            throw new CorruptStorageException(dir + ": oid " + oid + "'s newest revision was found at "
                    + LogPosition.describe(position) + " when the log was read, but that segment is no longer part"
                    + " of the log (" + Segment.fileName(LogPosition.segment(position)) + " is missing). Restore the"
                    + " store from a backup.");
        }
    }

    int rebuilds() {
        return rebuilds.get();
    }

    /** Logs that the index file is not used and why; the storage goes on with one rebuilt from the log. */
    static void warnRebuild(Path indexFile, String why) {
        LOG.log(System.Logger.Level.WARNING, "jodb: the oid index " + indexFile + " is not used (" + why + "); it"
                + " is rebuilt from the log, which is the truth. Nothing was lost.");
    }
}
