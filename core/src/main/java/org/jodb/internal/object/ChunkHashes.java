package org.jodb.internal.object;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jodb.PersistentTreeMap;

/**
 * The persistent key index of a large {@code PersistentMap} whose keys all have a {@link StableHash}: a
 * B-tree from a slot {@code (hash << 32) | n} to a chunk holding at least one key of that hash. For each
 * hash, {@code n} numbers the distinct chunks holding keys of that hash densely from 0 (usually there is
 * only slot 0), so a lookup gets slot 0, 1, ... until the chunk holds the key or the slot is absent.
 *
 * <p>Every method takes the tree and loads only the nodes on the paths to the slots it reads, and the
 * chunks it must look into; chunks are compared by identity, never loaded for that. Not thread-safe.
 */
final class ChunkHashes {
    private ChunkHashes() {
    }

    /** The tree key of slot {@code n} of {@code hash} (an int). */
    static Long slot(long hash, int n) {
        return (hash << 32) | (n & 0xFFFF_FFFFL);
    }

    /** The chunk holding {@code key} of stable hash {@code hash}, or null. */
    static MapChunk find(PersistentTreeMap<Long, MapChunk> tree, Object key, long hash) {
        for (int n = 0; ; n++) {
            MapChunk c = candidate(tree, hash, n);
            if (c == null || c.forKeys().containsKey(key)) {
                return c;
            }
        }
    }

    /**
     * The chunk of slot {@code n} of {@code hash}, or null past the last: a lookup asks slot 0, 1, ... and
     * looks into each chunk until one holds its key ({@link #find}, or a caller that wants the value from
     * the same probe of the chunk).
     */
    static MapChunk candidate(PersistentTreeMap<Long, MapChunk> tree, long hash, int n) {
        return tree.get(slot(hash, n));
    }

    /** Records that {@code chunk} holds a key of {@code hash}; nothing changes when it was recorded. */
    static void add(PersistentTreeMap<Long, MapChunk> tree, long hash, MapChunk chunk) {
        for (int n = 0; ; n++) {
            MapChunk c = tree.putIfAbsent(slot(hash, n), chunk); // one walk down the tree per slot
            if (c == null || c == chunk) {
                return;
            }
        }
    }

    /**
     * Records that {@code chunk} holds no key of {@code hash} any more: its slot takes the hash's last
     * chunk, and the last slot goes, so the slots stay dense.
     */
    static void remove(PersistentTreeMap<Long, MapChunk> tree, long hash, MapChunk chunk) {
        int at = -1;
        int n = 0;
        for (MapChunk c; (c = tree.get(slot(hash, n))) != null; n++) {
            if (c == chunk) {
                at = n;
            }
        }
        if (at < 0) {
            throw new IllegalStateException("the hash index of the map lists no slot of " + chunk);
        }
        int last = n - 1;
        if (at != last) {
            tree.put(slot(hash, at), tree.get(slot(hash, last)));
        }
        tree.remove(slot(hash, last));
    }

    /**
     * Records that {@code into} took over every key of {@code from} (which is emptied): for each hash of
     * {@code from}'s keys, its slot points at {@code into}, or goes when {@code into} had one already.
     * Loads both chunks.
     */
    static void moved(PersistentTreeMap<Long, MapChunk> tree, MapChunk from, MapChunk into) {
        Set<Long> intoHashes = hashesOf(into);
        for (long hash : hashesOf(from)) {
            if (intoHashes.contains(hash)) {
                remove(tree, hash, from);
            } else {
                for (int n = 0; ; n++) {
                    if (tree.get(slot(hash, n)) == from) {
                        tree.put(slot(hash, n), into);
                        break;
                    }
                }
            }
        }
    }

    /** Whether {@code chunk} holds a key of {@code hash}. Loads it. */
    static boolean holds(MapChunk chunk, long hash) {
        for (Object key : chunk.forKeys().keySet()) {
            if (StableHash.of(key) == hash) {
                return true;
            }
        }
        return false;
    }

    /**
     * A new tree indexing {@code chunks}, or null when a key has no stable hash. Loads every chunk. The
     * slots are put in ascending order, which keeps the work to one pass over a sorted array.
     */
    static PersistentTreeMap<Long, MapChunk> build(List<MapChunk> chunks) {
        int total = 0;
        for (MapChunk c : chunks) {
            total += c.forKeys().size();
        }
        long[] pairs = new long[total]; // hash << 32 | chunk position: sorts by hash, then chunk order
        int count = 0;
        for (int i = 0; i < chunks.size(); i++) {
            for (Object key : chunks.get(i).forKeys().keySet()) {
                long hash = StableHash.of(key);
                if (hash == StableHash.NONE) {
                    return null;
                }
                pairs[count++] = (hash << 32) | i;
            }
        }
        Arrays.sort(pairs, 0, count);
        PersistentTreeMap<Long, MapChunk> tree = new PersistentTreeMap<>();
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (i > 0 && pairs[i] == pairs[i - 1]) {
                continue; // another key of the same hash in the same chunk
            }
            long hash = pairs[i] >> 32;
            n = i > 0 && pairs[i - 1] >> 32 == hash ? n + 1 : 0;
            tree.put(slot(hash, n), chunks.get((int) pairs[i]));
        }
        return tree;
    }

    private static Set<Long> hashesOf(MapChunk chunk) {
        Set<Long> hashes = new HashSet<>();
        for (Object key : chunk.forKeys().keySet()) {
            hashes.add(StableHash.of(key));
        }
        return hashes;
    }
}
