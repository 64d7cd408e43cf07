package org.jodb.postgres;

import java.util.Arrays;
import java.util.Objects;
import org.jodb.spi.Revision;

/**
 * A storage's loads: from its {@link RecordCache} when it holds the revision the snapshot reads, else from the
 * server ({@link Reads}), offering what the server returned to the cache when that is safe: the snapshot was a
 * committed tid before the load ran (at or below the newest tid the storage knew of), so that no commit at or
 * before it can come later and make the record stale. A view opened at a future tid, or a read of the newest
 * revision, is not offered.
 */
final class CachedLoads {
    private final PostgresStorage storage;
    private final RecordCache cache;
    /**
     * Loads at snapshots before it ask the server, not the cache: a pack this storage ran passed them, and the
     * server refuses them ({@link PostgresStorage#oldestSnapshot}). Another process's pack is learnt at a server
     * read.
     */
    private volatile long floor = Long.MIN_VALUE;

    CachedLoads(PostgresStorage storage, RecordCache cache) {
        this.storage = storage;
        this.cache = cache;
    }

    Revision loadAt(long oid, long tid) {
        boolean cached = tid >= floor;
        if (cached) {
            Revision hit = cache.get(oid, tid);
            if (hit != null) {
                storage.checkOpen();
                return hit;
            }
        }
        boolean committed = tid <= storage.knownTid(); // read before the load
        Revision loaded = storage.run("load oid " + oid, c -> storage.reads.loadAt(c, oid, tid));
        if (loaded != null && cached && committed) {
            cache.offer(loaded, tid);
        }
        return loaded;
    }

    Revision[] loadAllAt(long[] oids, long tid) {
        Objects.requireNonNull(oids, "oids");
        storage.checkOpen();
        if (oids.length == 0) {
            return new Revision[0];
        }
        boolean cached = tid >= floor;
        Revision[] found = new Revision[oids.length];
        long[] missing = new long[oids.length];
        int misses = 0;
        for (int i = 0; i < oids.length; i++) {
            found[i] = cached ? cache.get(oids[i], tid) : null;
            if (found[i] == null) {
                missing[misses++] = oids[i];
            }
        }
        if (misses == 0) {
            return found;
        }
        boolean committed = tid <= storage.knownTid(); // read before the load
        long[] asked = misses == oids.length ? oids : Arrays.copyOf(missing, misses);
        Revision[] loaded = storage.run("load " + asked.length + " oids", c -> storage.reads.loadAllAt(c, asked, tid));
        for (int i = 0, next = 0; i < oids.length; i++) {
            if (found[i] == null) {
                Revision r = loaded[next++];
                found[i] = r;
                if (r != null && cached && committed) {
                    cache.offer(r, tid);
                }
            }
        }
        return found;
    }

    /**
     * This storage packed to {@code packTid} (or tried): the cache may hold records the pack removed, and loads at
     * snapshots before the pack must meet the server's refusal.
     */
    void packed(long packTid) {
        floor = Math.max(floor, packTid);
        cache.clear();
    }
}
