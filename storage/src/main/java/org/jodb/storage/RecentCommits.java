package org.jodb.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jodb.spi.CommittedTransaction;

/**
 * The newest commits since open and the oids each wrote, in memory, for
 * {@link MappedFileStorage#transactionsAfter}: every connection asks at every transaction start, and
 * walking the log chain for each of them cost as much CPU as the commits themselves.
 *
 * <p>Concurrency: {@link #add} is called under the commit lock, one at a time; {@link #after} takes no
 * lock. Each slot holds an immutable {@link Commit} stamped with its sequence number, so a reader that
 * finds a slot overwritten by a newer commit knows it and answers "not covered" ({@code null}); the caller
 * then walks the log. Pack does not change which oids a commit wrote, but it drops the commits at or before
 * its packTid of which it kept no revision: after a pack, a question about an older tid is left to the
 * log ({@link #packed}). The oid arrays are shared with every caller: read only.
 */
final class RecentCommits {

    /** How many commits are kept. A connection that started more commits ago than this reads the log. */
    static final int CAPACITY = 256;
    /** Commits of more oids are kept as markers without oids: holding bulk loads would cost memory. */
    static final int MAX_OIDS = 1024;

    /** One commit; {@code txn} is {@code null} for a commit of more than {@link #MAX_OIDS} oids. */
    private record Commit(long seq, long tid, CommittedTransaction txn) {
    }

    private final AtomicReferenceArray<Commit> slots = new AtomicReferenceArray<>(CAPACITY);
    /** Commits added since open; the newest is {@code count - 1}. Written after its slot. */
    private volatile long count;
    /** The packTid of the last pack swapped in: commits up to it may be gone from the log. */
    private volatile long packedUpTo = Long.MIN_VALUE;

    /** Records that a pack up to {@code packTid} was swapped in (commit lock). */
    void packed(long packTid) {
        packedUpTo = Math.max(packedUpTo, packTid);
    }

    /** Records a commit (commit lock), after its index entries and before lastTid are published. */
    void add(long tid, long[] oids) {
        long seq = count;
        slots.set((int) (seq % CAPACITY), new Commit(seq, tid,
                oids.length > MAX_OIDS ? null : new CommittedTransaction(tid, oids)));
        count = seq + 1;
    }

    /**
     * The commits with a tid above {@code tid}, oldest first, or {@code null} when they are not all known
     * here (then the caller reads the log). Sees every commit whose {@link #add} returned before the call.
     */
    List<CommittedTransaction> after(long tid) {
        if (tid < packedUpTo) {
            return null; // commits after tid up to packTid may have been dropped by pack: the log knows
        }
        List<CommittedTransaction> found = new ArrayList<>();
        long newest = count;
        long low = Math.max(0, newest - CAPACITY);
        for (long seq = newest - 1; ; seq--) {
            if (seq < low) {
                return null; // older commits may be after tid too: not covered
            }
            Commit c = slots.get((int) (seq % CAPACITY));
            if (c == null || c.seq != seq) {
                return null; // overwritten while we read
            }
            if (c.tid <= tid) {
                break;
            }
            if (c.txn == null) {
                return null;
            }
            found.add(c.txn);
        }
        Collections.reverse(found);
        return found;
    }
}
