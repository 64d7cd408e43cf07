package org.jodb.postgres;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jodb.spi.Revision;

/**
 * Committed records that one process's views read instead of asking the server: the storage-level cache of
 * ZODB's client storages (RelStorage's local cache), fed by the records this process loaded or committed and by
 * the records other processes' notifications carry. Without it, every object another thread or process changed
 * is one round trip to load again.
 *
 * <h2>Exact at every snapshot</h2>
 * It holds at most one revision per oid, and learns every commit in tid order: {@link #through()} is the tid up
 * to which it has applied every commit, each commit replacing the revisions of the oids it wrote (with the new
 * record when the commit's records are known, else by dropping the old one). A cached revision {@code r} of an
 * oid is therefore the newest at every tid from its own up to {@link #through()}, and {@link #get} serves it only
 * to snapshots in that range. Commits arrive from two threads and not always in order (a committing thread and
 * the listener); each names the tid committed before it (read under the commit lock), so a commit whose
 * predecessor has not been applied waits for it. A commit known only by its tid ({@link #unknown}), or a chain
 * that stays broken, empties the cache, which then starts again from that tid.
 *
 * <p>A record loaded from the server is offered with the snapshot it was read at, which the caller knows to be
 * committed (every commit at or before it had committed when the load ran, so the record is the newest at that
 * snapshot for good). It is taken only when no commit the cache applied wrote a later revision of its oid: the
 * cache remembers the oids of the recent commits it applied, and refuses what it cannot judge (a snapshot older
 * than that memory).
 *
 * <p>The cache owns its bytes: it copies what it is offered and what it hands out, as a storage's answers are
 * the caller's to keep.
 *
 * <h2>Bounded</h2>
 * The records' bytes, with {@link #ENTRY_OVERHEAD} each, stay under a budget; past it, entries not read since
 * the sweep last passed them go first (a clock).
 *
 * <p>Safe for many threads: lookups take no lock; offers and commits take the cache's monitor.
 */
final class RecordCache {
    /** What a cached entry costs beyond its bytes (map node, key, entry, array header). */
    static final int ENTRY_OVERHEAD = 120;
    /** Oids of applied commits remembered to judge offers; past it the window starts again, empty. */
    static final int WINDOW_OIDS = 50_000;
    /** Commits that may wait for their predecessor before the cache gives up on it and starts again. */
    static final int MAX_WAITING = 64;

    private static final class Entry {
        final long tid;
        final byte[] data;
        /** The clock's reference bit; racy writes lose nothing of value. */
        boolean used;

        Entry(long tid, byte[] data) {
            this.tid = tid;
            this.data = data;
        }
    }

    /** A commit waiting for the one before it. */
    private record Commit(long tid, long[] oids, byte[][] records) {
    }

    private final long budgetBytes;
    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();
    /** Every commit at or before it has been applied; written under the monitor after the entries. */
    private volatile long through;
    /** The commits after it, up to {@link #through}, wrote the oids in {@link #lastWrites} (monitor). */
    private long windowFrom;
    /** For each oid written by an applied commit after {@link #windowFrom}: the last such commit's tid. */
    private final Map<Long, Long> lastWrites = new HashMap<>();
    /** Commits heard before the one they follow, by the tid they follow (monitor). */
    private final TreeMap<Long, Commit> waiting = new TreeMap<>();
    private long bytes;
    private Iterator<Map.Entry<Long, Entry>> hand;

    /** @param budgetBytes bytes the cached records may take; 0 caches nothing */
    RecordCache(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budgetBytes < 0: " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    /** The tid up to which every commit has been applied. */
    long through() {
        return through;
    }

    /** The revision of {@code oid} a load at {@code snapshot} would return, if cached; null when it is not. */
    Revision get(long oid, long snapshot) {
        long applied = through; // before the entry: see the class comment and apply's order
        Entry e = entries.get(oid);
        if (e == null || e.tid > snapshot || snapshot > applied) {
            return null;
        }
        if (!e.used) {
            e.used = true;
        }
        return new Revision(oid, e.tid, e.data.clone());
    }

    /**
     * A load at {@code snapshot}, a tid known to be committed when the load ran, found {@code revision}: the
     * newest of its oid at or before that snapshot.
     */
    synchronized void offer(Revision revision, long snapshot) {
        if (budgetBytes == 0) {
            return;
        }
        long oid = revision.oid();
        if (snapshot < through && snapshot < windowFrom) {
            return; // commits after the snapshot that the cache no longer remembers may have written it
        }
        Long written = lastWrites.get(oid);
        if (written != null && written > revision.tid()) {
            return; // a commit the cache applied wrote a later revision
        }
        put(oid, revision.tid(), revision.data().clone());
    }

    /**
     * Commit {@code tid} wrote {@code oids}, right after {@code previousTid}; {@code records} are what it wrote,
     * in the same order, or null when they are not known here (the revisions cached for those oids are dropped).
     */
    synchronized void committed(long tid, long previousTid, long[] oids, byte[][] records) {
        if (tid <= through) {
            return; // applied already (a commit is heard from its thread and from its notification)
        }
        if (previousTid != through) {
            if (previousTid < through || entries.isEmpty()) {
                restartAt(previousTid < through ? tid : previousTid); // nothing cached (or no way to order it)
                if (tid <= through) {
                    drainWaiting();
                    return;
                }
            } else {
                waiting.put(previousTid, new Commit(tid, oids, records));
                if (waiting.size() > MAX_WAITING) {
                    restartAt(waiting.firstKey()); // the commit they wait for will not come: start again
                    drainWaiting();
                }
                return;
            }
        }
        apply(tid, oids, records);
        drainWaiting();
    }

    /** Commit {@code tid} is known by its tid alone: what it wrote is not, so the cache starts again from it. */
    synchronized void unknown(long tid) {
        if (tid > through) {
            restartAt(tid);
            drainWaiting();
        }
    }

    /** Drops everything (a pack removed records); the next commits start the cache again. */
    synchronized void clear() {
        restartAt(through);
    }

    private void apply(long tid, long[] oids, byte[][] records) {
        if (lastWrites.size() > WINDOW_OIDS) {
            lastWrites.clear();
            windowFrom = through;
        }
        for (int i = 0; i < oids.length; i++) {
            long oid = oids[i];
            lastWrites.put(oid, tid);
            if (records != null) {
                put(oid, tid, records[i]);
            } else {
                Entry e = entries.get(oid);
                if (e != null && e.tid < tid) {
                    entries.remove(oid);
                    bytes -= cost(e);
                }
            }
        }
        through = tid; // after the entries: a lookup that reads the new value finds them
    }

    private void drainWaiting() {
        while (!waiting.isEmpty()) {
            Map.Entry<Long, Commit> first = waiting.firstEntry();
            if (first.getKey() < through) {
                waiting.pollFirstEntry(); // follows a commit the cache passed: it cannot be ordered any more
            } else if (first.getKey() == through) {
                Commit c = waiting.pollFirstEntry().getValue();
                apply(c.tid, c.oids, c.records);
            } else {
                return;
            }
        }
    }

    private void restartAt(long tid) {
        entries.clear();
        lastWrites.clear();
        bytes = 0;
        hand = null;
        through = Math.max(through, tid);
        windowFrom = through;
    }

    private void put(long oid, long tid, byte[] data) {
        if (budgetBytes == 0) {
            return;
        }
        Entry old = entries.get(oid);
        if (old != null && old.tid >= tid) {
            return;
        }
        Entry e = new Entry(tid, data);
        entries.put(oid, e);
        bytes += cost(e) - (old == null ? 0 : cost(old));
        if (bytes > budgetBytes) {
            sweep();
        }
    }

    /** Drops entries not read since the hand last passed them, until the cache is at 7/8 of its budget. */
    private void sweep() {
        long target = budgetBytes - budgetBytes / 8;
        int passes = 0;
        while (bytes > target && passes < 2 * entries.size() + 2) {
            if (hand == null || !hand.hasNext()) {
                hand = entries.entrySet().iterator();
                if (!hand.hasNext()) {
                    return;
                }
            }
            Map.Entry<Long, Entry> next = hand.next();
            passes++;
            Entry e = next.getValue();
            if (e.used) {
                e.used = false;
            } else if (entries.remove(next.getKey(), e)) {
                bytes -= cost(e);
            }
        }
    }

    /** Entries cached, for tests. */
    int size() {
        return entries.size();
    }

    /** Bytes counted against the budget, for tests. */
    synchronized long bytes() {
        return bytes;
    }

    private static long cost(Entry e) {
        return (long) e.data.length + ENTRY_OVERHEAD;
    }
}
