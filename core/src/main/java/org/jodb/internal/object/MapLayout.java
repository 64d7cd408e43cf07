package org.jodb.internal.object;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.jodb.PersistentTreeMap;

/**
 * The content of a large {@code PersistentMap}: its entries in insertion order, cut into {@link MapChunk}s,
 * each a persistent object with a record of its own, and a persistent B-tree from each key's stable hash
 * to the chunk holding it. The layout itself is a value stored inside the map's record: the ordered chunk
 * references, a reference to the tree, and three counters. So a commit that adds keys rewrites the tail
 * chunk(s), this small list and the tree buckets of the new keys' hashes; one that replaces a value
 * rewrites the chunk holding the key: the cost of a commit follows what it changed, not the size of the map.
 *
 * <pre>
 * Order: the map's iteration order is the chunks' in list order, each in its own insertion order.
 * New keys: appended to the last chunk, or to a new last chunk when that one holds CHUNK_CAPACITY entries.
 *   They never go into an earlier chunk, so two transactions that both insert under one chunk list
 *   insert into the same chunk, whose conflict resolution sees both (a key can never be in two chunks).
 * Removal: from the key's chunk; an emptied chunk is dropped, one under CHUNK_CAPACITY / 4 is merged into
 *   a neighbour when both fit in one chunk (a shrinking map does not keep many near-empty chunks).
 * Counters: size (entries in all chunks), changes (incremented by every insertion or removal of a key)
 *   and unhashable (see Index). Every change of a key set changes the counters, so it rewrites the map's
 *   record, and every other connection reloads the layout: what a loaded layout knows is never stale.
 * Index, while every key has a stable hash ({@link StableHash}): the hash tree ({@link ChunkHashes}), a
 *   PersistentTreeMap from slot (hash << 32 | n) to a chunk holding keys of that hash, n = 0, 1, ... over
 *   the distinct such chunks. A lookup gets slot 0 (1, ... on a hash shared across chunks) and looks in
 *   its chunk, so a cold lookup loads the map's record, the tree's, one node per tree level and one
 *   chunk, and nothing stays in memory that the cache cannot turn back into ghosts. Why this shape:
 *   the chunks keep the insertion order and cheap appends; hashing keys straight into buckets would lose
 *   the order, and a tree keyed by the keys themselves would need them to be comparable. The tree's
 *   buckets merge concurrent changes of different slots, like any PersistentTreeMap's, so two
 *   transactions inserting different keys both commit as before (the same new hash in both conflicts).
 * Index, else: key -> chunk, transient, built on the first keyed access by loading every chunk (the cost
 *   of loading a single-record map), then kept in step by every change made through this layout. A
 *   layout instance lives as long as the state it was decoded from: a reload (invalidation, abort,
 *   rollback, ghosting, a resolved conflict) decodes a new instance, whose index starts empty. This is
 *   the form of a map holding keys without a stable hash (counted by unhashable: the first such key
 *   drops the tree) and of a layout written before the tree existed (no tree, unhashable 0). A layout
 *   without tree and without such keys builds its tree at its next insertion or removal of a key, when
 *   its record is written anyway and its chunks are loaded for the index: so old records migrate on
 *   their first change of a key, and a map whose last key without a stable hash went gets its tree back.
 *   A dropped tree is left as it is, unreachable (pack removes it): a concurrent transaction that
 *   changed it also inserted or removed a key, so it changed the map's record, whose merge needs the
 *   same tree in all three revisions.
 * Touching: an operation touches exactly the records it changes: a chunk whose entries change, the map
 *   (through {@code owner}) when the counters or the chunk list change, the tree nodes of the slots that
 *   change (and the tree's size counter).
 * Leaving: a chunk that leaves the list (emptied, merged into a neighbour, or every chunk when the map
 *   goes back to one record or is cleared) is written empty. So a concurrent transaction that changes an
 *   entry of that chunk, which writes the chunk only, conflicts with it in either commit order (its
 *   conflict resolution sees the key removed on one side, changed on the other) instead of committing
 *   into a record the map no longer lists. The empty record is unreachable; pack removes it. The tree
 *   leaves with the layout, unchanged (see Index).
 * </pre>
 *
 * <p>Internal to jodb: public only for {@code org.jodb.PersistentMap}. Not thread-safe.
 */
public final class MapLayout {
    /** The number of entries a chunk takes new keys up to. */
    static final int CHUNK_CAPACITY = 512;
    /** A chunk smaller than this after a removal is merged into a neighbour when the two fit in one. */
    static final int MERGE_BELOW = CHUNK_CAPACITY / 4;

    /** The chunks in order; never empty. */
    private ArrayList<MapChunk> chunks;
    /** The number of entries in all chunks. */
    private int size;
    /** Incremented by every insertion and removal of a key (merged as a counter on concurrent commits). */
    private long changes;
    /**
     * The persistent key index ({@link ChunkHashes}): stable hash -> chunks holding keys of that hash;
     * null while some key has no stable hash, or in a layout written before it existed.
     */
    private PersistentTreeMap<Long, MapChunk> hashes;
    /**
     * Without {@link #hashes}: the number of keys without a stable hash (merged as a counter). Zero
     * without hashes means the tree is to be built by the next insertion or removal of a key.
     */
    private int unhashable;
    /** Without {@link #hashes}: key -> the chunk holding it; null until the first keyed access. */
    private transient HashMap<Object, MapChunk> index;

    private MapLayout() {
    }

    /** A layout holding {@code entries} in their order, in full chunks. */
    public static MapLayout of(Map<?, ?> entries) {
        MapLayout layout = new MapLayout();
        layout.chunks = new ArrayList<>();
        MapChunk chunk = null;
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            if (chunk == null || chunk.read().size() >= CHUNK_CAPACITY) {
                chunk = MapChunk.forNewKeys();
                layout.chunks.add(chunk);
            }
            chunk.read().put(e.getKey(), e.getValue());
        }
        if (layout.chunks.isEmpty()) {
            layout.chunks.add(MapChunk.forNewKeys());
        }
        layout.size = entries.size();
        layout.indexKeys();
        return layout;
    }

    public int size() {
        return size;
    }

    /** The number of chunks. */
    public int chunkCount() {
        return chunks.size();
    }

    public boolean containsKey(Object key) {
        return chunkOf(key) != null;
    }

    /**
     * The value of {@code key}, or null; touches the key's chunk when {@code changeable} accepts the value (it
     * was handed out and may change in place). One lookup serves both: a lookup walks the hash tree.
     */
    public Object get(Object key, Predicate<Object> changeable) {
        long hash = hashes == null ? StableHash.NONE : StableHash.of(key);
        if (hash == StableHash.NONE) {
            MapChunk c = chunkOf(key);
            return c == null ? null : valueIn(c, c.value(key), changeable);
        }
        for (int n = 0; ; n++) { // ChunkHashes.find, but the probe of the chunk that finds the key gets its value
            MapChunk c = ChunkHashes.candidate(hashes, hash, n);
            if (c == null) {
                return null;
            }
            LinkedHashMap<Object, Object> entries = c.forKeys();
            Object value = entries.get(key);
            if (value != null || entries.containsKey(key)) {
                return valueIn(c, c.resolve(key, value), changeable);
            }
        }
    }

    /** {@code value}, found in chunk {@code c}, which is touched when {@code changeable} accepts the value. */
    private static Object valueIn(MapChunk c, Object value, Predicate<Object> changeable) {
        if (changeable.test(value)) {
            c.change();
        }
        return value;
    }

    public boolean containsValue(Object value) {
        for (MapChunk c : chunks) {
            if (c.read().containsValue(value)) {
                return true;
            }
        }
        return false;
    }

    public void forEach(BiConsumer<Object, Object> action) {
        ChunkIterator.forEach(chunks, action);
    }

    /**
     * Puts an entry; returns the previous value (null when absent). Replacing touches only the key's
     * chunk; inserting touches the last chunk and {@code owner}.
     */
    public Object put(PersistentObject owner, Object key, Object value) {
        long hashed = hashes == null ? StableHash.NONE : StableHash.of(key);
        if (hashed != StableHash.NONE) {
            return putHashed(owner, key, value, hashed);
        }
        MapChunk c = chunkOf(key);
        if (c != null) {
            return c.change().put(key, value);
        }
        touch(owner);
        beforeKeyChange();
        long hash = StableHash.of(key);
        if (hashes != null && hash == StableHash.NONE) {
            hashes = null; // the tree is dropped, not emptied: see Index above
            index();
        }
        MapChunk tail = chunks.get(chunks.size() - 1);
        if (tail.forKeys().size() >= CHUNK_CAPACITY) {
            tail = MapChunk.forNewKeys();
            chunks.add(tail);
        }
        tail.change().put(key, value);
        if (hashes != null) {
            ChunkHashes.add(hashes, hash, tail);
        } else {
            index.put(key, tail);
            if (hash == StableHash.NONE) {
                unhashable++;
            }
        }
        size++;
        changes++;
        return null;
    }

    /**
     * {@link #put} of a key of stable hash {@code hash} while the tree exists, in one walk per slot: each slot is
     * asked with {@code putIfAbsent} offering the last chunk, so the first absent slot records a new key (a
     * lookup then an insertion walked twice: a seventh of a bulk insert). After a slot holding the last chunk,
     * the rest are only read. Only a new key loads the last chunk; if full, a new chunk takes the slot.
     */
    private Object putHashed(PersistentObject owner, Object key, Object value, long hash) {
        MapChunk tail = chunks.get(chunks.size() - 1);
        boolean tailHasSlot = false;
        int n = 0;
        for (; ; n++) {
            Long slot = ChunkHashes.slot(hash, n);
            MapChunk c = tailHasSlot ? hashes.get(slot) : hashes.putIfAbsent(slot, tail);
            if (c == null) {
                break; // slot n was the first absent one: no chunk holds the key (and tail has slot n, if none before)
            }
            if (c.forKeys().containsKey(key)) {
                return c.change().put(key, value);
            }
            tailHasSlot |= c == tail;
        }
        touch(owner);
        MapChunk target = tail;
        if (tail.forKeys().size() >= CHUNK_CAPACITY) {
            target = MapChunk.forNewKeys();
            chunks.add(target);
            hashes.put(ChunkHashes.slot(hash, n), target); // the slot offered to tail, or a new one past the last
        }
        target.change().put(key, value);
        size++;
        changes++;
        return null;
    }

    /** Removes {@code key}; returns its value, or null when absent (then nothing is touched). */
    public Object remove(PersistentObject owner, Object key) {
        MapChunk c = chunkOf(key);
        if (c == null) {
            return null;
        }
        touch(owner);
        beforeKeyChange();
        Object old = c.change().remove(key);
        removed(key, c);
        compact(c, true);
        return old;
    }

    /** Replaces every value by {@code f(key, value)}; touches only the chunks where a value changed. */
    public void replaceAll(BiFunction<Object, Object, Object> f) {
        for (MapChunk c : chunks) {
            LinkedHashMap<Object, Object> entries = c.read();
            for (Map.Entry<Object, Object> e : entries.entrySet()) {
                Object v = f.apply(e.getKey(), e.getValue());
                if (v != e.getValue()) {
                    c.change(); // loaded already: the entry set iterated is the chunk's own
                    e.setValue(v);
                }
            }
        }
    }

    /**
     * Empties every chunk: the map leaves the chunked form (it goes back to one record, or is cleared), and
     * a chunk it leaves is written empty (see Leaving above). Loads the chunks that are ghosts.
     */
    public void release() {
        for (MapChunk c : chunks) {
            c.change().clear();
        }
        if (index != null) {
            index.clear();
        }
    }

    /** Every entry in order, in one map (for turning back into a single record). */
    public LinkedHashMap<Object, Object> toMap() {
        LinkedHashMap<Object, Object> all = new LinkedHashMap<>(Math.max(16, size * 4 / 3 + 1));
        forEach(all::put);
        return all;
    }

    /**
     * The entries in order. {@link Iterator#remove()} and {@link Map.Entry#setValue} touch what they
     * change; with {@code touch}, each chunk is touched when the iteration reaches it (its values may be
     * changed in place). The iterator fails fast, like the JDK's, when a chunk is changed around it. With
     * {@code prefetchValues}, the persistent values of each chunk that are ghosts are loaded in one storage
     * call when the iteration reaches the chunk (the caller is about to read them).
     */
    public Iterator<Map.Entry<Object, Object>> iterator(PersistentObject owner, boolean touch,
                                                        boolean prefetchValues) {
        return new ChunkIterator(this, owner, touch, prefetchValues);
    }

    /** The chunks, in order (for conflict resolution and tests). */
    ArrayList<MapChunk> chunks() {
        return chunks;
    }

    long changes() {
        return changes;
    }

    /**
     * Merges the chunked form's record (conflict resolution): possible when the three revisions list the
     * same chunks, and then the counters add up ({@code committed + mine - old}). Different chunk lists (a
     * chunk added or dropped, a change of form: null is the single-record form) are not merged. This keeps
     * a key in one chunk: under one chunk list both writers insert into the same last chunk, whose own
     * merge sees both insertions.
     */
    public static boolean merge(MapLayout old, MapLayout committed, MapLayout mine) {
        if (old == null || committed == null || mine == null || !old.chunks.equals(committed.chunks)
                || !old.chunks.equals(mine.chunks) || old.hashes != committed.hashes
                || old.hashes != mine.hashes) {
            return false;
        }
        committed.size += mine.size - old.size;
        committed.changes += mine.changes - old.changes;
        committed.unhashable += mine.unhashable - old.unhashable;
        return true;
    }

    /** The hash tree, or null when this layout has none (for tests). */
    public PersistentTreeMap<Long, ?> hashTree() {
        return hashes;
    }

    /** The chunk holding {@code key}, or null. */
    private MapChunk chunkOf(Object key) {
        if (hashes == null) {
            return index().get(key);
        }
        long hash = StableHash.of(key);
        if (hash != StableHash.NONE) {
            return ChunkHashes.find(hashes, key, hash);
        }
        for (MapChunk c : chunks) { // can only be absent (every key has a stable hash): but equals decides
            if (c.forKeys().containsKey(key)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Before a key is inserted or removed: a layout without hash tree and without keys lacking a stable
     * hash (written before the tree existed, or whose last such key was removed) gets its tree now, when
     * the map's record is written anyway. Its chunks are loaded already (by the index).
     */
    private void beforeKeyChange() {
        if (hashes == null && unhashable <= 0) {
            indexKeys();
        }
    }

    /** Builds the hash tree, or else counts the keys without a stable hash. Loads every chunk. */
    private void indexKeys() {
        hashes = ChunkHashes.build(chunks);
        unhashable = 0;
        if (hashes != null) {
            index = null; // the tree answers from now on
            return;
        }
        for (MapChunk c : chunks) {
            for (Object key : c.forKeys().keySet()) {
                if (!StableHash.known(key)) {
                    unhashable++;
                }
            }
        }
    }

    private HashMap<Object, MapChunk> index() {
        HashMap<Object, MapChunk> i = index;
        if (i == null) {
            i = new HashMap<>(Math.max(16, size * 4 / 3 + 1));
            for (MapChunk c : chunks) {
                for (Object key : c.forKeys().keySet()) {
                    i.put(key, c);
                }
            }
            index = i;
        }
        return i;
    }

    /** After {@code key} left chunk {@code c}. */
    private void removed(Object key, MapChunk c) {
        if (hashes != null) {
            long hash = StableHash.of(key);
            if (!ChunkHashes.holds(c, hash)) {
                ChunkHashes.remove(hashes, hash, c);
            }
        } else {
            if (index != null) {
                index.remove(key);
            }
            if (unhashable > 0 && !StableHash.known(key)) {
                unhashable--; // (zero in a layout written before the tree, whose count is not known yet)
            }
        }
        size--;
        changes++;
    }

    /**
     * Drops an emptied chunk; merges one that became small into a neighbour ({@code mayMerge}: not while
     * an iterator walks the chunks, which only tolerates dropping).
     */
    private int compact(MapChunk c, boolean mayMerge) {
        int n = c.forKeys().size();
        if (chunks.size() < 2 || n >= MERGE_BELOW) {
            return -1;
        }
        int i = position(c);
        if (n == 0) {
            chunks.remove(i);
            return i;
        }
        if (!mayMerge) {
            return -1;
        }
        if (i + 1 < chunks.size() && n + chunks.get(i + 1).forKeys().size() <= CHUNK_CAPACITY) {
            absorb(c, chunks.get(i + 1));
            chunks.remove(i + 1);
        } else if (i > 0 && chunks.get(i - 1).forKeys().size() + n <= CHUNK_CAPACITY) {
            absorb(chunks.get(i - 1), c);
            chunks.remove(i);
        }
        return -1;
    }

    /**
     * Appends the entries of {@code from} to {@code into} (from follows into in the order) and empties
     * {@code from}, which leaves the list: written empty, it conflicts with a concurrent change of its
     * entries (see Leaving above).
     */
    private void absorb(MapChunk into, MapChunk from) {
        LinkedHashMap<Object, Object> target = into.change();
        LinkedHashMap<Object, Object> source = from.change();
        if (hashes != null) {
            ChunkHashes.moved(hashes, from, into);
        }
        for (Map.Entry<Object, Object> e : source.entrySet()) {
            target.put(e.getKey(), e.getValue());
            if (index != null) {
                index.put(e.getKey(), into);
            }
        }
        source.clear();
    }

    /**
     * Removes {@code key} from chunk {@code c} without merging chunks (an iterator walks them): through
     * {@code walking}, the iterator over c's own entries that returned the key last, or by key when null;
     * returns the position of {@code c} when that emptied and dropped it, else -1. Fails when {@code c}
     * is no longer listed or no longer holds the key (the map was changed around the iterator). The
     * caller has touched the map.
     */
    int removeFrom(MapChunk c, Object key, Iterator<Map.Entry<Object, Object>> walking) {
        position(c);
        beforeKeyChange();
        LinkedHashMap<Object, Object> entries = c.change();
        if (walking != null) {
            walking.remove();
        } else if (entries.containsKey(key)) {
            entries.remove(key);
        } else {
            throw new ConcurrentModificationException("the key was removed from the map around this iterator");
        }
        removed(key, c);
        return compact(c, false);
    }

    private int position(MapChunk c) {
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i) == c) {
                return i;
            }
        }
        throw new ConcurrentModificationException("chunk no longer in the map");
    }

    static void touch(PersistentObject owner) {
        ObjectState s = owner.$jodbState();
        if (s != null) {
            s.beforeCall();
        }
    }
}
