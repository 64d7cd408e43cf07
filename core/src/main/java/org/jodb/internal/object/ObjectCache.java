package org.jodb.internal.object;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One connection's objects by oid (ZODB's {@code PickleCache}).
 *
 * <p>Two targets bound the loaded objects (ZODB's {@code cache_size} and {@code cache_size_bytes}): a number
 * of objects, and optionally a number of bytes, estimated as the sum of the loaded objects' record sizes
 * ({@link ObjectState#estimatedSize}); gc ghosts until both hold.
 *
 * <p>Invariants: (1) at most one instance per oid: every instance handed out is in the oid table until
 * it is garbage or disowned; (2) ghosts are held weakly, so a ghost nobody references is collected; (3)
 * loaded objects are held strongly in two recency lists, least recently used first, and {@link #gc} turns
 * the oldest clean ones back into ghosts until at most {@code target} remain; touched objects, and objects
 * with a method running, are never ghosted by gc. Not thread-safe: used by the connection's thread.
 *
 * <p>The pieces of jodb's containers ({@link ObjectState#part}: the buckets and branches of a tree, the
 * chunks of a large map and the buckets of its hash index) go on a list of their own, and gc ghosts them
 * only after every other object it can, as long as they hold at most half of either target
 * ({@link #PART_SHARE}); beyond that share their oldest go first. A lookup passes the same few pieces to
 * reach any of many objects, so a piece is worth more than one object it leads to; but by plain recency, a
 * workload that loads many objects per transaction (ten random accounts of 100,000) pushes out the bucket
 * of the map's hash index it needs again a few hundred transactions later, and reloads it. The share bounds
 * what the pieces may take, so that a scan of a large tree cannot crowd out the objects a transaction uses
 * every time; the count of loaded objects stays bounded by the target as before. Among the pieces, the
 * order is approximately least recently used: see {@link #used}.
 *
 * <p>Every object loaded passes through here, so both structures avoid per-call allocation: the oid
 * table is open-addressed on the primitive oid (linear probing, deletion by backward shift), and the
 * recency lists are threaded through the states themselves ({@link RecencyList}).
 */
final class ObjectCache {
    private static final int MIN_CAPACITY = 64;
    /** The key of a free slot: no oid is negative (nor is it {@link ObjectState#NO_OID}). */
    private static final long FREE = Long.MIN_VALUE;
    /** Container pieces are kept in preference to other objects up to 1 / PART_SHARE of each target. */
    static final int PART_SHARE = 2;

    /**
     * The oid table: weak entries, null for a free slot ({@link #FREE} in {@link #keys}); its length is a power
     * of two. {@link #keys} holds each slot's oid, so that probing, a miss and growing read one array instead of
     * every entry.
     */
    private Entry[] table = new Entry[MIN_CAPACITY];
    private long[] keys = freeKeys(MIN_CAPACITY);
    private int entries;
    private final ReferenceQueue<PersistentObject> collected = new ReferenceQueue<>();
    /** The loaded objects that are not container pieces. */
    private final RecencyList others = new RecencyList();
    /** The loaded container pieces ({@link ObjectState#part}). */
    private final RecencyList parts = new RecencyList();
    /** The number of loaded objects gc keeps; at least 0. */
    private int target;
    /** The estimated bytes of loaded objects gc keeps; 0 for no byte target. */
    private long targetBytes;

    ObjectCache(int target, long targetBytes) {
        setTarget(target);
        setTargetBytes(targetBytes);
    }

    void setTargetBytes(long targetBytes) {
        if (targetBytes < 0) {
            throw new IllegalArgumentException("cache size in bytes < 0: " + targetBytes);
        }
        this.targetBytes = targetBytes;
    }

    /** The estimated bytes of the loaded objects: the sum of their record sizes. */
    long loadedBytes() {
        return others.bytes() + parts.bytes();
    }

    /** The object's record size changed (loaded or saved): keeps {@link #loadedBytes} right. */
    void resized(ObjectState state, int size) {
        if (state.inRecent) {
            listOf(state).resized(size - state.estimatedSize);
        }
        state.estimatedSize = size;
    }

    private RecencyList listOf(ObjectState state) {
        return state.part ? parts : others;
    }

    void setTarget(int target) {
        if (target < 0) {
            throw new IllegalArgumentException("cache size < 0: " + target);
        }
        this.target = target;
    }

    int target() {
        return target;
    }

    /** The instance for {@code oid}, or null. */
    PersistentObject get(long oid) {
        Entry[] t = table;
        long[] k = keys;
        int mask = t.length - 1;
        for (int i = slot(oid, mask); ; i = (i + 1) & mask) {
            long key = k[i]; // the keys alone: a miss, or a probe past another oid, reads no entry
            if (key == FREE) {
                return null;
            }
            if (key == oid) {
                return t[i].get();
            }
        }
    }

    void put(ObjectState state) {
        if (state.oid < 0) {
            throw new IllegalArgumentException("no object has oid " + state.oid + ": oids are 0 or more");
        }
        Entry fresh = new Entry(state.self, state.oid, collected);
        Entry[] t = table;
        long[] k = keys;
        int mask = t.length - 1;
        for (int i = slot(state.oid, mask); ; i = (i + 1) & mask) {
            if (k[i] == FREE) {
                t[i] = fresh;
                k[i] = state.oid;
                if (++entries > t.length / 2) {
                    purge(); // entries of collected ghosts go at the latest here, and in gc at each boundary
                    if (entries > table.length / 2) {
                        grow();
                    }
                }
                return;
            }
            if (k[i] == state.oid) {
                t[i] = fresh;
                return;
            }
        }
    }

    /** Forgets the object of {@code state} (it is disowned): no longer found by oid, not held. */
    void remove(ObjectState state) {
        removeEntry(state.oid, null);
        unlink(state);
    }

    /**
     * The object was loaded or used: keep it strongly, as the most recently used. A container piece already
     * held is only marked ({@link ObjectState#usedAgain}): the branches and bucket on a lookup's path are
     * used at every lookup, and moving each on the list writes into its neighbours, cache misses that showed
     * in a profile of lookups; gc moves a marked piece instead, when it comes to it (a second chance, as a
     * CLOCK cache gives).
     */
    void used(ObjectState state) {
        if (state.part && state.inRecent) {
            state.usedAgain = true;
        } else {
            listOf(state).use(state);
        }
    }

    /** The object became a ghost: hold it weakly only. */
    void ghosted(ObjectState state) {
        unlink(state);
    }

    /** Takes {@code state} off the recency list, if it is on it. */
    private void unlink(ObjectState state) {
        listOf(state).remove(state);
        state.usedAgain = false;
    }

    /** Number of loaded objects held. */
    int loadedCount() {
        return others.count() + parts.count();
    }

    /** Number of loaded container pieces held (part of {@link #loadedCount}). */
    int loadedParts() {
        return parts.count();
    }

    /** Number of instances known (ghosts included, collected ones not yet purged included). */
    int size() {
        purge();
        return entries;
    }

    /**
     * Ghosts least recently used clean objects until at most {@code target} loaded objects remain and,
     * with a byte target, their estimated bytes are at most {@code targetBytes}: first the oldest container
     * pieces beyond their share of either target, then the other objects, oldest first, then (only if
     * those do not suffice) the remaining pieces, oldest first.
     *
     * @param ghost turns one clean object into a ghost (clears its fields, sets its status)
     */
    void gc(Consumer<ObjectState> ghost) {
        purge();
        if (loadedCount() <= target && (targetBytes == 0 || loadedBytes() <= targetBytes)) {
            return; // at every transaction boundary: nothing to allocate when nothing goes
        }
        Shrink shrink = new Shrink();
        ObjectState rest = shrink.take(parts.oldest(), true);
        shrink.take(others.oldest(), false);
        shrink.take(rest, false);
        for (ObjectState s : shrink.victims) {
            ghost.accept(s);
            unlink(s);
        }
    }

    /** One gc's choice of victims, and what remains loaded if they go. */
    private final class Shrink {
        final List<ObjectState> victims = new ArrayList<>();
        int count = loadedCount();
        long bytes = loadedBytes();
        int partCount = parts.count();
        long partBytes = parts.bytes();

        boolean over() {
            return count > target || (targetBytes > 0 && bytes > targetBytes);
        }

        boolean partsBeyondShare() {
            return partCount > target / PART_SHARE || (targetBytes > 0 && partBytes > targetBytes / PART_SHARE);
        }

        /**
         * Picks clean objects from {@code from} on, oldest first, while the targets are exceeded (and, with
         * {@code beyondShareOnly}, while the pieces exceed their share); returns the first object not looked
         * at, or null at the end of the list.
         */
        ObjectState take(ObjectState from, boolean beyondShareOnly) {
            ObjectState s = from;
            for (ObjectState next; s != null && over() && (!beyondShareOnly || partsBeyondShare()); s = next) {
                next = s.newer;
                if (s.usedAgain) { // a piece used since it was last put last: it goes last again, unmarked
                    s.usedAgain = false;
                    parts.use(s);
                    if (next == null) {
                        next = s; // it was last already: looked at again, unmarked now
                    }
                } else if (s.status == ObjectStatus.CLEAN && s.calls == 0) { // a running method reads its fields
                    victims.add(s);
                    count--;
                    bytes -= s.estimatedSize;
                    if (s.part) {
                        partCount--;
                        partBytes -= s.estimatedSize;
                    }
                }
            }
            return s;
        }
    }

    /**
     * Every loaded object (a copy): the objects that are not container pieces, least recently used first,
     * then the pieces likewise.
     */
    List<ObjectState> loaded() {
        List<ObjectState> out = new ArrayList<>(loadedCount());
        for (RecencyList list : List.of(others, parts)) {
            for (ObjectState s = list.oldest(); s != null; s = s.newer) {
                out.add(s);
            }
        }
        return out;
    }

    /** Every live instance (a copy), ghosts included. */
    List<PersistentObject> all() {
        purge();
        List<PersistentObject> out = new ArrayList<>(entries);
        for (Entry e : table) {
            PersistentObject p = e == null ? null : e.get();
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    private void purge() {
        for (Object ref; (ref = collected.poll()) != null; ) {
            Entry e = (Entry) ref;
            removeEntry(e.oid, e);
        }
    }

    /**
     * Removes the entry for {@code oid} (only if it is {@code expected}, when that is not null) and
     * returns it, or null. Backward-shift deletion keeps every probe run unbroken.
     */
    private Entry removeEntry(long oid, Entry expected) {
        Entry[] t = table;
        long[] k = keys;
        int mask = t.length - 1;
        int i = slot(oid, mask);
        while (true) {
            long key = k[i];
            if (key == FREE) {
                return null;
            }
            if (key == oid) {
                Entry e = t[i];
                if (expected != null && e != expected) {
                    return null; // a newer instance took the oid: the collected one is gone already
                }
                break;
            }
            i = (i + 1) & mask;
        }
        Entry removed = t[i];
        int hole = i;
        for (int j = (hole + 1) & mask; k[j] != FREE; j = (j + 1) & mask) {
            int home = slot(k[j], mask);
            // move t[j] into the hole unless its home lies cyclically in (hole, j]
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                t[hole] = t[j];
                k[hole] = k[j];
                hole = j;
            }
        }
        t[hole] = null;
        k[hole] = FREE;
        entries--;
        return removed;
    }

    private void grow() {
        Entry[] old = table;
        long[] oldKeys = keys;
        Entry[] t = new Entry[old.length * 2];
        long[] k = freeKeys(t.length);
        int mask = t.length - 1;
        for (int j = 0; j < old.length; j++) {
            if (old[j] != null) {
                int i = slot(oldKeys[j], mask);
                while (k[i] != FREE) {
                    i = (i + 1) & mask;
                }
                t[i] = old[j];
                k[i] = oldKeys[j];
            }
        }
        table = t;
        keys = k;
    }

    /** A new keys array of {@code n} free slots. */
    private static long[] freeKeys(int n) {
        long[] k = new long[n];
        Arrays.fill(k, FREE);
        return k;
    }

    /**
     * The home slot of an oid. Oids are handed out in sequence and objects are mostly loaded in runs of
     * neighbouring oids (a map's values, a list's elements), so runs keep neighbouring slots and the
     * table is walked like an array; higher bits are folded in so that oids a large power of two apart
     * do not share a slot.
     */
    private static int slot(long oid, int mask) {
        return (int) (oid ^ (oid >>> 16) ^ (oid >>> 32) ^ (oid >>> 48)) & mask;
    }

    private static final class Entry extends WeakReference<PersistentObject> {
        final long oid;

        Entry(PersistentObject referent, long oid, ReferenceQueue<PersistentObject> queue) {
            super(referent, queue);
            this.oid = oid;
        }
    }
}
