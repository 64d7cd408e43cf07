package org.jodb.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jodb.spi.CommittedTransaction;
import org.jodb.storage.index.OidIndex;

/**
 * The newest commits since open, in memory: which oids each wrote and where their revisions went. Two
 * readers use it instead of the log and the index: {@link MappedFileStorage#transactionsAfter} (every
 * connection asks at every transaction start, and walking the log chain for each of them cost as much as
 * the commits themselves), and a vote, which looks its oids up in the index before it takes the commit
 * lock and then only corrects them for the commits published meanwhile (see {@link FileTransaction#vote}).
 *
 * <p>Concurrency: {@link #add} and {@link #clear} are called under the commit lock, one at a time; the
 * readers take no lock. Each slot holds an immutable {@link Commit} stamped with its sequence number, so a
 * reader that finds a slot overwritten by a newer commit knows it and answers "not covered" ({@code null}),
 * and the caller falls back to the log or the index.
 */
final class RecentCommits {

    /** How many commits are kept. A connection that started more commits ago than this reads the log. */
    static final int CAPACITY = 256;
    /** Commits of more oids are kept as markers without oids: holding bulk loads would cost memory. */
    static final int MAX_OIDS = 1024;

    /** One commit; its oids and {@code positions} are {@code null} for a commit of too many oids. */
    record Commit(long seq, CommittedTransaction txn, long[] positions) {
    }

    private final AtomicReferenceArray<Commit> slots = new AtomicReferenceArray<>(CAPACITY);
    /** Commits added since open; the newest is {@code count - 1}. Written after its slot. */
    private volatile long count;
    /**
     * Commits below this sequence number are not known (before open, or before a pack moved revisions):
     * readers that need them are not covered.
     */
    private volatile long first;

    /** Records a published commit (commit lock), after its index entries and before lastTid. */
    void add(long tid, long[] oids, long[] positions) {
        long seq = count;
        Commit c = oids.length > MAX_OIDS ? new Commit(seq, new CommittedTransaction(tid, null), null)
                : new Commit(seq, new CommittedTransaction(tid, oids), positions);
        slots.set((int) (seq % CAPACITY), c);
        count = seq + 1;
    }

    /** Forgets every commit (commit lock): pack moved the revisions they name. */
    void clear() {
        first = count;
    }

    /**
     * The commits with a tid above {@code tid}, oldest first, or {@code null} when they are not all known
     * here (then the caller reads the log). Sees every commit whose {@link #add} returned before the call.
     */
    List<CommittedTransaction> after(long tid) {
        List<CommittedTransaction> found = new ArrayList<>();
        long newest = count;
        // pack does not change which oids a commit wrote, so first (see clear) does not matter here
        long low = Math.max(0, newest - CAPACITY);
        for (long seq = newest - 1; ; seq--) {
            if (seq < low) {
                return null; // older commits may be after tid too: not covered
            }
            Commit c = slots.get((int) (seq % CAPACITY));
            if (c == null || c.seq != seq) {
                return null; // overwritten while we read
            }
            if (c.txn.tid() <= tid) {
                break;
            }
            if (c.positions == null) {
                return null;
            }
            found.add(c.txn);
        }
        Collections.reverse(found);
        return found;
    }

    /** A token that {@link #applySince} callers compare to see whether a pack moved revisions meanwhile. */
    long packMark() {
        return first;
    }

    /**
     * For a vote: applies to {@code entries} (the index entries of {@code oids}, {@code null} where absent) what every
     * commit with a tid above {@code tid} wrote, oldest first. Returns false when those commits are not all
     * known here (then the caller looks everything up again under the commit lock). Commit lock.
     */
    boolean applySince(long tid, long[] oids, OidIndex.Entry[] entries) {
        long low = Math.max(first, count - CAPACITY);
        long seq = count - 1;
        while (true) {
            if (seq < low) {
                return false;
            }
            Commit c = slots.get((int) (seq % CAPACITY));
            if (c.txn.tid() <= tid) {
                break;
            }
            if (c.positions == null) {
                return false;
            }
            seq--;
        }
        // commit lock: nothing is added meanwhile, so the slots from seq + 1 on are stable
        Map<Long, Integer> byOid = null;
        if (oids.length > 16) {
            byOid = new HashMap<>();
            for (int i = 0; i < oids.length; i++) {
                byOid.put(oids[i], i);
            }
        }
        for (long s = seq + 1; s < count; s++) {
            Commit c = slots.get((int) (s % CAPACITY));
            long[] written = c.txn.oids();
            for (int i = 0; i < written.length; i++) {
                int at = byOid == null ? indexOf(oids, written[i]) : byOid.getOrDefault(written[i], -1);
                if (at >= 0) {
                    entries[at] = new OidIndex.Entry(c.positions[i], c.txn.tid());
                }
            }
        }
        return true;
    }

    private static int indexOf(long[] oids, long oid) {
        for (int i = 0; i < oids.length; i++) {
            if (oids[i] == oid) {
                return i;
            }
        }
        return -1;
    }
}
