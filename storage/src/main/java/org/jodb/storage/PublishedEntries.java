package org.jodb.storage;

import java.util.concurrent.ConcurrentHashMap;

import org.jodb.storage.internal.index.OidIndex;

/**
 * The index entries this storage published since open (or since the index last changed whole), in memory: a
 * vote reads the entry of each object it writes, and reading it here spares a lookup in the oid index, whose
 * segment locks every committer and reader share (8 writers spent a sixth of their time spinning on them).
 *
 * <p>Contract: an entry here is the one {@link CommitGate#publish} put into the index for its oid, written into
 * this map after the index and before the last tid advances, so a reader sees here what it would see in the
 * index, or an older entry of a commit it cannot have seen as finished (a vote's early lookups then look again
 * under the lock, {@link EarlyLookups}). The entries belong to one index: after a swap (growth, pack, rebuild)
 * they are not used, since pack moves revisions. An oid not here is looked up in the index. Bounded: past
 * {@link #LIMIT} entries the map starts again, empty.
 *
 * <p>Thread-safe: written under the commit lock, read by any thread.
 */
final class PublishedEntries {
    /** Entries kept (about 80 bytes each on the heap) before the map starts again. */
    static final int LIMIT = 1 << 18;

    private record Generation(OidIndex index, ConcurrentHashMap<Long, OidIndex.Entry> entries) {
    }

    private volatile Generation current = new Generation(null, new ConcurrentHashMap<>());

    /**
     * Records what a commit published into {@code index} (commit lock held, after the index was written): the
     * entries of the oids up to {@code updatesUpTo} (the objects it updated; the others are left out).
     */
    void published(OidIndex index, long[] oids, long[] positions, int count, long tid, long updatesUpTo) {
        Generation g = current;
        if (g.index != index || g.entries.size() + count > LIMIT) {
            g = new Generation(index, new ConcurrentHashMap<>());
        }
        for (int i = 0; i < count; i++) {
            if (oids[i] <= updatesUpTo) { // above it, never published before: not in the map either
                g.entries.put(oids[i], new OidIndex.Entry(positions[i], tid));
            }
        }
        current = g;
    }

    /**
     * The entry published for {@code oid} into {@code index}, or null when none is known here (the index must
     * be asked).
     */
    OidIndex.Entry get(OidIndex index, long oid) {
        Generation g = current;
        return g.index == index ? g.entries.get(oid) : null;
    }

    /** Forgets every entry: the index changed whole (pack moved revisions). */
    void clear() {
        current = new Generation(null, new ConcurrentHashMap<>());
    }
}
