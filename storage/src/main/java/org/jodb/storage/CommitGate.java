package org.jodb.storage;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.storage.internal.index.IndexDamagedException;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.LogLayout;

/**
 * What a writer of the log ({@link FileTransaction}, {@link Pack}) commits through: the commit lock, the
 * newest commit, the checks a vote makes, room in the index, and making a commit visible.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #lock()} orders the log: conflict checks, the tid's choice, the append and the index update of
 *       one transaction all happen while its writer holds the lock, from vote to finish or abort. Pack takes it
 *       briefly at its start and for its swap. Methods marked "(locked)" require it; the lock order is pack
 *       lock, then commit lock. Nobody closes the storage holding it.</li>
 *   <li>{@link #publish} puts a finished transaction's entries into the index first and only then advances the
 *       last tid, so that a reader that sees a tid can load its revisions; a reader never sees an index entry
 *       beyond the committed end of the log.</li>
 *   <li>{@link #nextTid} is greater than every tid committed, also across restarts.</li>
 *   <li>An index entry changes only by {@link #publish}, which lists the oids in the recent commits
 *       ({@link #commitsAfter}), or by a swap of the whole index (growth, pack, rebuild): what
 *       {@link EarlyLookups} relies on to keep entries looked up before the lock.</li>
 *   <li>{@link #ensureIndexRoom} grows the index before an append could overfill it, so that publish, after the
 *       commit point, never has to.</li>
 *   <li>A failure after a commit point was written, or of a force, breaks the storage: the writer releases the
 *       lock and throws {@link #breakDown}'s exception. Reopening is then the only way on.</li>
 * </ul>
 */
final class CommitGate {

    private final ReentrantLock commitLock;
    private final Log log;
    private final IndexGenerations indexes;
    private final IndexHealing healing;
    private final RevisionReads reads;
    private final LastCommit last;
    private final RecentCommits recent;
    private final AtomicLong nextOid;
    private final Lifecycle lifecycle;
    private final StorageOptions.Durability durability;
    /**
     * No oid above this is in the index (locked). Starts below the oid allocator's value at open, which is
     * above every oid in the log; raised as commits publish.
     */
    private long maxIndexedOid;
    /** What packs removed since open, for vote's check of references (locked to replace). */
    private volatile RemovedOids removedOids = RemovedOids.NONE;

    CommitGate(ReentrantLock commitLock, Log log, IndexGenerations indexes, IndexHealing healing,
               RevisionReads reads, LastCommit last, RecentCommits recent, AtomicLong nextOid, Lifecycle lifecycle,
               StorageOptions.Durability durability) {
        this.commitLock = commitLock;
        this.log = log;
        this.indexes = indexes;
        this.healing = healing;
        this.reads = reads;
        this.last = last;
        this.recent = recent;
        this.nextOid = nextOid;
        this.lifecycle = lifecycle;
        this.durability = durability;
        this.maxIndexedOid = nextOid.get() - 1;
    }

    // ------------------------------------------------------------------------------------ the lock

    void lock() {
        commitLock.lock();
    }

    void unlock() {
        commitLock.unlock();
    }

    boolean heldByCurrentThread() {
        return commitLock.isHeldByCurrentThread();
    }

    /** @throws IllegalStateException when the storage is closed or broken */
    void checkOpen() {
        lifecycle.checkOpen();
    }

    // ------------------------------------------------------------------------------------ state

    /** The log to append to (locked) and read from (any thread). */
    Log log() {
        return log;
    }

    long lastTid() {
        return last.tid();
    }

    /** Position of the newest transaction's record, {@link org.jodb.storage.internal.log.LogPosition#NONE} if none. */
    long lastTxn() {
        return last.position();
    }

    /** The oid allocator's next value, which a transaction record carries for recovery. */
    long nextOid() {
        return nextOid.get();
    }

    StorageOptions.Durability durability() {
        return durability;
    }

    // ------------------------------------------------------------------------------------ vote

    /**
     * The current index entry of {@code oid} (locked), {@code null} for none; see {@link RevisionReads#current}.
     *
     * @param serial the tid the writer read, {@link Storage#NO_TID} for an object it created
     */
    OidIndex.Entry current(long oid, long serial) {
        // An oid above every indexed one cannot be in the index: new objects, stored in allocation order,
        // skip the lookup (a Chronicle Map query costs about as much as the rest of their commit).
        if (oid > maxIndexedOid) {
            return null;
        }
        return reads.current(oid, serial);
    }

    /**
     * The commits after {@code tid} with the oids each wrote, oldest first, or null when they are not all
     * known in memory (see {@link RecentCommits#after}). Complete for every commit published before the call:
     * under the lock, every commit.
     */
    List<CommittedTransaction> commitsAfter(long tid) {
        return recent.after(tid);
    }

    /** Refuses records that refer to an object a pack removed (locked; see {@link RemovedOids}). */
    void checkReferences(List<LogLayout.DataRecord> records) {
        removedOids.check(records);
    }

    /**
     * Grows the index before a commit whose new oids fall in at most {@code newPages} pages could overfill it
     * (locked).
     */
    void ensureIndexRoom(int newPages) {
        // Only new oids add pages; and asking costs a walk over all of Chronicle Map's segments, which a commit
        // of updates need not pay.
        OidIndex used = indexes.current();
        try {
            if (newPages > 0 && used.needsGrowth(newPages)) {
                indexes.swap(IndexGenerations.grow(used, newPages, indexes.next()));
            }
        } catch (IndexDamagedException e) {
            healing.healOrThrow(used, e); // the rebuilt index may be as full: grow it in turn
            ensureIndexRoom(newPages);
        }
    }

    /** The tid for a transaction voting now (locked): after the last tid, and after the clock. */
    long nextTid() {
        // FORMAT.md invariant (1). The clock part makes tids readable as times (tid >>> 20 ≈ milliseconds)
        // and keeps them increasing across restarts even if the log were replaced by an older copy.
        return Math.max(last.tid() + 1, System.currentTimeMillis() << 20);
    }

    /**
     * The tid of a transaction copied from another storage, voting now (locked): its own, which must be after
     * the last tid (FORMAT.md invariant (1)). Raises the oid allocator above every oid it writes, so that the
     * record's {@code nextOid} and later {@code newOid()} calls are above them.
     *
     * @throws StorageException naming both tids when {@code tid} is not after the last one
     */
    long copiedTid(long tid, long[] oids) {
        if (tid <= last.tid()) {
            throw new StorageException("cannot copy transaction " + tid + " into " + log.directory()
                    + ": its last transaction is " + last.tid() + ", and tids only grow. Copy into an empty store,"
                    + " or only the transactions after " + last.tid());
        }
        long highest = Storage.ROOT_OID;
        for (long oid : oids) {
            highest = Math.max(highest, oid);
        }
        nextOid.accumulateAndGet(highest + 1, Math::max);
        return tid;
    }

    // ------------------------------------------------------------------------------------ finish

    /**
     * Makes a finished transaction visible (locked): its record at {@code txnPosition} wrote {@code oids} at
     * {@code positions}. Index first, then the last tid.
     */
    void publish(long txnPosition, long tid, long[] oids, long[] positions) {
        OidIndex current = indexes.current();
        try {
            current.putAll(oids, positions, oids.length, tid);
        } catch (IndexDamagedException e) {
            // The record is written: a rebuild reads it from the log like every other (the last commit is still
            // the one before it, so it is put again here). A verified index rethrows: finish fails.
            healing.healOrThrow(current, e);
            current = indexes.current();
            current.putAll(oids, positions, oids.length, tid);
        }
        long max = maxIndexedOid;
        for (long oid : oids) {
            max = Math.max(max, oid);
        }
        maxIndexedOid = max;
        recent.add(tid, oids);
        last.advance(txnPosition, tid);
    }

    /** Waits (not locked) until the commit ending at {@code end} is durable, as the durability mode promises. */
    void awaitDurable(long end) {
        RuntimeException failure = lifecycle.broken();
        if (failure != null) {
            throw new StorageException("the log could not be forced earlier (" + failure.getMessage()
                    + "); the storage was closed. Reopen it: recovery keeps every durable commit.", failure);
        }
        if (durability == StorageOptions.Durability.SYNC) {
            try {
                log.awaitDurable(end);
            } catch (RuntimeException e) {
                throw breakDown(e);
            }
        }
    }

    /** Whether a failure of the log means this storage must stop (see {@link Log#failure()}). */
    boolean logFailed() {
        return log.failure() != null;
    }

    /**
     * Marks the storage broken and closes it (not locked: closing takes the lock); returns the exception for
     * the writer to throw.
     */
    StorageException breakDown(RuntimeException cause) {
        return lifecycle.breakDown(cause);
    }

    // ------------------------------------------------------------------------------------ pack

    /** The current index (pack reads it without the lock; growth may replace it meanwhile). */
    OidIndex index() {
        return indexes.current();
    }

    /** A fresh index generation number for pack's output. */
    int nextIndexGeneration() {
        return indexes.next();
    }

    /** Makes sure the index is verified (pack lock held): pack must trust its set of oids. */
    void verifyIndex() {
        healing.verify();
    }

    /**
     * Makes pack's output visible (locked), after the log adopted its segments: its index, the new position of
     * the newest transaction, snapshots before {@code packTid} no longer served, and the oids it removed,
     * which a vote refuses references to from now on (FORMAT.md invariant (11)).
     */
    void publishPack(OidIndex packed, long lastTxn, long packTid, long[] removed, ReferenceFinder references) {
        indexes.swap(packed);
        last.movedTo(lastTxn);
        recent.packed(packTid); // it may still list commits this pack dropped
        reads.raiseOldestSnapshot(Math.min(packTid, last.tid())); // Storage#oldestSnapshot
        removedOids = removedOids.plus(removed, references);
    }

    /** Closes the storage after a pack failed past its commit point (the next open completes that pack). */
    void closeStorage() {
        lifecycle.close();
    }
}
