package org.jodb.internal.object;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jodb.spi.Changes;
import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.Revision;

/**
 * Committed records that every connection of one database may read instead of asking the storage: the
 * storage-level cache of ZODB's design, shared by the connections' object caches (which each decode their own
 * instances). Without it each connection loads, from the index and the log, every object it touches, though
 * another connection loaded or wrote the same record a moment before.
 *
 * <h2>Exact under MVCC</h2>
 * It holds at most one revision per oid. A revision is served to a snapshot only when it is the one that
 * snapshot would load from the storage: its tid is at or before the snapshot, and no later revision of the
 * oid exists at or before the snapshot. For that the cache learns every commit, in tid order, from the
 * connections' own polls ({@link #advance}): {@link #known()} is the tid up to which it has applied every
 * commit, and a commit that writes an oid drops the cached revision older than its own. So a cached revision
 * is current through {@link #known()}, and serves snapshots from its tid up to that.
 *
 * <p>A revision offered ({@link #offer}) is known to be current as of some tid {@code through} (the snapshot it
 * was loaded at, or its own tid for a record just committed). It may only enter when no commit already applied
 * after {@code through} wrote its oid: the cache remembers which oids the recent commits wrote (a window of
 * commits, dropped whole when it grows large), and refuses an offer it cannot judge.
 *
 * <h2>Bounded</h2>
 * The records' bytes (with an estimate of each entry's overhead) are kept under a budget; past it, entries not
 * served since the sweep last passed them are dropped (a clock sweep), so the records in use stay.
 *
 * <p>Thread-safe: lookups take no lock; offers and commits take the cache's monitor for a few map operations.
 * Records are never changed once read or written (nobody writes into a record's bytes), so they are shared as
 * they are.
 */
final class SharedRecords {
    /** What a cached entry costs beyond its bytes (the map's node, the key, the entry, the array header). */
    static final int ENTRY_OVERHEAD = 120;
    /** Oids of recent commits remembered for judging offers; past it the window starts again, empty. */
    static final int WINDOW_OIDS = 16_384;
    /** Sessions a database must have had before records are offered: one connection has nobody to share with. */
    private static final int SHARING_SESSIONS = 2;

    /** One cached revision; {@code used} is the clock sweep's reference bit (racy writes lose nothing of value). */
    static final class Entry {
        final Revision revision;
        boolean used;

        Entry(Revision revision) {
            this.revision = revision;
        }
    }

    /** Caches nothing: for sessions that must not use the database's (historical ones). */
    static final SharedRecords NONE = new SharedRecords(0, Long.MAX_VALUE);

    private final long budgetBytes;
    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();
    /** Every commit at or before this tid has been applied; read without the monitor, written under it. */
    private volatile long known;
    /** The commits after this tid, up to {@link #known}, are in {@link #lastWrites} (monitor). */
    private long windowFrom;
    /** For each oid written by a commit after {@link #windowFrom}: the tid of the last such commit (monitor). */
    private final LongLongTable lastWrites = new LongLongTable();
    /** Bytes of the cached entries, with {@link #ENTRY_OVERHEAD} each (monitor). */
    private long bytes;
    /** The clock sweep's hand; null when it must start again (monitor). */
    private Iterator<Map.Entry<Long, Entry>> hand;
    private volatile int sessions;

    /**
     * @param budgetBytes bytes the cached records may take (0: nothing is cached)
     * @param known       the tid up to which the cache counts as told of every commit (with nothing cached,
     *                    any tid will do: {@link #sessionMade} moves it to the first session's snapshot)
     */
    SharedRecords(long budgetBytes, long known) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budgetBytes < 0: " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        this.known = known;
        this.windowFrom = known;
    }

    /**
     * A session of the database was made, reading at {@code snapshot}: from the second on, loaded and committed
     * records are offered. While nothing is cached the cache moves to that snapshot (there is nothing a commit
     * before it could have to drop), so that the session's polls from there on can tell it what follows.
     */
    synchronized void sessionMade(long snapshot) {
        sessions++;
        if (entries.isEmpty() && snapshot > known) {
            lastWrites.clear();
            known = windowFrom = snapshot;
        }
    }

    /** Whether offering records can pay: the database has had more than one session, and a budget. */
    boolean sharing() {
        return sessions >= SHARING_SESSIONS && budgetBytes > 0;
    }

    /** The tid up to which every commit has been applied. */
    long known() {
        return known;
    }

    /**
     * The revision of {@code oid} that a load at {@code snapshot} would return, if cached; null when it is not
     * (the caller asks the storage).
     */
    Revision get(long oid, long snapshot) {
        long through = known; // read before the entry: see the class comment and #apply's order
        Entry e = entries.get(oid);
        if (e == null || e.revision.tid() > snapshot || snapshot > through) {
            return null;
        }
        if (!e.used) {
            e.used = true; // written only when it changes: the entry's cache line stays shared between readers
        }
        return e.revision;
    }

    /**
     * Offers {@code revision}, the newest revision of its oid at or before {@code through}; taken when nothing
     * applied since {@code through} wrote the oid, and no newer revision is cached.
     */
    synchronized void offer(Revision revision, long through) {
        if (!sharing()) {
            return;
        }
        long oid = revision.oid();
        if (through < known) {
            if (through < windowFrom || lastWrites.get(oid, Long.MIN_VALUE) > through) {
                return; // a commit after through may have written it, or did
            }
        }
        Entry old = entries.get(oid);
        if (old != null && old.revision.tid() >= revision.tid()) {
            return;
        }
        entries.put(oid, new Entry(revision));
        bytes += cost(revision) - (old == null ? 0 : cost(old.revision));
        if (bytes > budgetBytes) {
            sweep();
        }
    }

    /**
     * A session's poll moved its snapshot from {@code from} to {@code changes.snapshotTid()}, with the commits
     * between: the part after {@link #known} is applied. A gap (the session's snapshot is newer than
     * {@link #known}: commits in between were never told) or changes the storage could not list empty the cache,
     * which then starts from the new snapshot.
     */
    synchronized void advance(long from, Changes changes) {
        long to = changes.snapshotTid();
        if (to <= known) {
            return;
        }
        if (!changes.known() || from > known || entries.isEmpty()) {
            // nothing to drop (empty), or no way to know what to drop: start again with nothing cached
            clear();
            known = windowFrom = to;
            return;
        }
        if (lastWrites.size() > WINDOW_OIDS) {
            lastWrites.clear();
            windowFrom = known;
        }
        for (CommittedTransaction t : changes.transactions()) {
            if (t.tid() > known) {
                apply(t);
            }
        }
        known = to; // after the drops: a lookup that reads the new value finds them done
    }

    private void apply(CommittedTransaction t) {
        long tid = t.tid();
        for (long oid : t.oids()) {
            Entry e = entries.get(oid);
            if (e != null && e.revision.tid() < tid) {
                entries.remove(oid);
                bytes -= cost(e.revision);
            }
            lastWrites.put(oid, tid);
        }
    }

    /** Drops every entry, and the window of recent writes with them (the budget is unchanged). */
    synchronized void clear() {
        entries.clear();
        lastWrites.clear();
        windowFrom = known; // with the window emptied, only offers current as of known can be judged
        bytes = 0;
        hand = null;
    }

    /** Drops entries not used since the hand last passed them, until the cache is at 7/8 of its budget. */
    private void sweep() {
        long target = budgetBytes - budgetBytes / 8;
        int passes = 0;
        while (bytes > target && passes < 2 * entries.size() + 2) {
            if (hand == null || !hand.hasNext()) {
                hand = entries.entrySet().iterator();
                if (!hand.hasNext()) {
                    break;
                }
            }
            Map.Entry<Long, Entry> next = hand.next();
            passes++;
            Entry e = next.getValue();
            if (e.used) {
                e.used = false;
            } else if (entries.remove(next.getKey(), e)) {
                bytes -= cost(e.revision);
            }
        }
    }

    /** Cached entries, for tests and statistics. */
    int size() {
        return entries.size();
    }

    /** Bytes counted against the budget, for tests. */
    synchronized long bytes() {
        return bytes;
    }

    private static long cost(Revision r) {
        return (long) r.data().length + ENTRY_OVERHEAD;
    }
}
