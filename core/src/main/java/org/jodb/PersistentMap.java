package org.jodb;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jodb.internal.object.EntryMerge;
import org.jodb.internal.object.MapLayout;
import org.jodb.internal.object.MapRecord;
import org.jodb.internal.object.MergeableState;

/**
 * A map that is a persistent object of its own: it has its own record, and the objects holding it keep
 * only a reference (ZODB's {@code PersistentMapping}). Create it with {@code new}; it becomes persistent
 * when it is reachable from the root at a savepoint or commit. Iteration follows insertion order.
 *
 * <p>Reading methods ({@code containsKey}, {@code size}, {@code forEach}, ...) load it when it is a ghost
 * and touch nothing; changing methods mark touched what they change, and the next savepoint or commit
 * writes it if its content changed. Iterating {@code values()} or {@code entrySet()} touches what it walks
 * over, and {@code get}/{@code getOrDefault} touch what holds the value they return when it could be
 * changed in place (a plain list or object; not a string, number, enum, {@code java.time} value, record of
 * such, or persistent object), because jodb cannot see such changes one by one: {@code map.get(k).add(x)}
 * is committed. Iterating {@code keySet()} touches only through its iterator's {@code remove};
 * {@code forEach} never touches (a value changed in place there is not found: use {@code entrySet()}). Keys and
 * values are stored inside the map's records, except persistent objects, which are stored as references.
 *
 * <h2>Large maps</h2>
 * A map of up to {@value #CHUNKED_ABOVE} entries is one record. Past that it keeps its entries, in
 * insertion order, in chunks of up to 512 entries, each a record of its own, and its own record keeps the
 * list of chunks and the size; it goes back to one record when it shrinks below {@value #SINGLE_BELOW}
 * entries (the gap keeps a map near the limit from switching at every change). So a commit costs what it
 * changed: adding keys rewrites the last chunk and the map's short record, replacing a value rewrites the
 * chunk holding the key. Insertion-ordered chunks (not hash buckets) are what makes adding keys cheap:
 * a batch of new keys lands in one or two chunks, where hashing would spread it over nearly all of them.
 * The switch is invisible to the application (identity, order, views and iterators keep working; a
 * record written before chunks existed loads as the single-record form). An access by key ({@code get},
 * {@code containsKey}, {@code put}, {@code remove}) finds the key's chunk through a persistent B-tree from
 * the key's hash to its chunk, whose nodes are records of their own loaded on demand: a cold {@code get}
 * in a map of a million entries loads six records (the map's, the tree's, three tree nodes, one chunk),
 * and nothing of the tree or the chunks stays in memory beyond what the cache keeps. This needs a hash
 * that is the same in every JVM: keys that are strings, boxed primitives, {@code UUID}s, big numbers,
 * {@code java.time} values, enums, records (without their own {@code equals}/{@code hashCode}) and JDK
 * lists of such have one. While the map holds a key of another kind, it has no tree, and its first access
 * by key after it was loaded loads every chunk to build an in-memory index from key to chunk (the cost of
 * loading a single-record map); it gets its tree back at the next insertion or removal after the last
 * such key left. Iterating and {@code size()} need neither.
 *
 * <h2>Concurrent changes</h2>
 * When two transactions change one map, the second commit is merged instead of failing with
 * {@link ConflictException} when the changes do not overlap: <b>resolved</b> are insertions,
 * replacements and removals of <em>different</em> keys; <b>not resolved</b> (ConflictException, retry) are
 * changes to one key by both, even to the same value (two withdrawals of 1 from a balance of 100 both
 * write 99: merging them would lose one), keys that are persistent objects, and values that cannot be
 * compared (values are compared with {@code equals}, persistent objects by identity, so a value class
 * without {@code equals} counts as changed). The merged map keeps the committed entries in their order and
 * appends new keys. In a large map, in addition, not resolved are: a change of the chunk list by one (a new
 * chunk started, an emptied one dropped, two merged, a switch between the forms; rare: at most once per
 * 512 insertions) and an insertion or removal by the other; a chunk leaving the list (merged, emptied,
 * or all of them on a switch back to one record or a {@link #clear()}, which are written empty for this)
 * and any change to an entry of that chunk by the other, a replacement included. A replacement in a
 * chunk that stays listed merges with a change of the chunk list. Two insertions of different keys of
 * one hash, a split of one bucket of the hash tree by both, and a change of the tree by one (dropped,
 * built) with an insertion or removal by the other are not resolved either. Only {@code PersistentMap} itself is
 * merged: a subclass always gets {@code ConflictException} for concurrent changes to its own record
 * (concurrent replacements of values in different chunks of a large subclass map do not meet there and
 * both commit).
 *
 * <h2>Subclasses</h2>
 * A subclass may add methods that work through the map's own. It cannot declare fields of its own (other
 * than transient ones): it is made with {@code new}, so no proxy intercepts its methods, and such a field
 * would read empty while the map is a ghost and a change to it alone would never be written. Writing one is
 * refused with an {@link UnsupportedClassException}; hold the map in a class made by
 * {@code Connection.create} instead.
 *
 * <p>Not thread-safe, like the connection it belongs to.
 *
 * @param <K> key type
 * @param <V> value type
 */
public class PersistentMap<K, V> extends PersistentContainer<LinkedHashMap<K, V>>
        implements Map<K, V>, MapRecord, MergeableState {
    /** A map with more entries than this switches to chunks. */
    static final int CHUNKED_ABOVE = 1024;
    /** A chunked map with fewer entries than this goes back to one record. */
    static final int SINGLE_BELOW = 256;

    /** The entries of the single-record form; null in the chunked form. */
    private LinkedHashMap<K, V> map;
    /** The chunked form; null in the single-record form. */
    private MapLayout layout;

    /** An empty map; it becomes persistent when it is reachable from the root at commit. */
    public PersistentMap() {
        map = new LinkedHashMap<>();
    }

    /** A map holding the entries of {@code content}, in its iteration order. */
    public PersistentMap(Map<? extends K, ? extends V> content) {
        if (content.size() > CHUNKED_ABOVE) {
            layout = MapLayout.of(content);
        } else {
            map = new LinkedHashMap<>(content);
        }
    }

    @Override
    final LinkedHashMap<K, V> content() {
        return map;
    }

    @Override
    @SuppressWarnings("unchecked")
    public final LinkedHashMap<Object, Object> $jodbEntries() {
        return (LinkedHashMap<Object, Object>) map;
    }

    @Override
    public final MapLayout $jodbLayout() {
        return layout;
    }

    /**
     * Conflict resolution: merges changes to different keys of the single-record form (see
     * {@link EntryMerge}), and the counters of the chunked form under one chunk list (see
     * {@link MapLayout#merge}); never a subclass, whose own fields this merge would not know.
     */
    @Override
    public final boolean $jodbMerge(Object oldState, Object myState) {
        if (getClass() != PersistentMap.class) {
            return false;
        }
        PersistentMap<?, ?> old = (PersistentMap<?, ?>) oldState;
        PersistentMap<?, ?> mine = (PersistentMap<?, ?>) myState;
        if (map != null && old.map != null && mine.map != null) {
            return EntryMerge.apply(old.$jodbEntries(), $jodbEntries(), mine.$jodbEntries());
        }
        return MapLayout.merge(old.layout, layout, mine.layout);
    }

    @Override
    public int size() {
        LinkedHashMap<K, V> m = forRead();
        return m != null ? m.size() : layout.size();
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        LinkedHashMap<K, V> m = forRead();
        return m != null ? m.containsKey(key) : layout.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        LinkedHashMap<K, V> m = forRead();
        return m != null ? m.containsValue(value) : layout.containsValue(value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        LinkedHashMap<K, V> m = forRead();
        if (m == null) {
            return (V) layout.get(key, InPlaceChanges::possible); // touches the key's chunk, as below the map
        }
        V value = m.get(key);
        if (InPlaceChanges.possible(value)) {
            forChange(); // map.get(k).add(x): a change in place must be found at commit
        }
        return value;
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        LinkedHashMap<K, V> m = forRead();
        if (m != null) {
            if (!m.containsKey(key)) {
                return defaultValue;
            }
            return get(key);
        }
        V value = get(key); // one hash-tree lookup; a second only to tell a null value from no key
        return value != null || layout.containsKey(key) ? value : defaultValue;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        LinkedHashMap<K, V> m = forRead();
        if (m != null) {
            m.forEach(action);
        } else {
            layout.forEach((k, v) -> action.accept((K) k, (V) v));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        if (forRead() == null) {
            return (V) layout.put(this, key, value);
        }
        V old = forChange().put(key, value);
        grown();
        return old;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        if (forRead() == null) {
            V old = (V) layout.remove(this, key);
            shrunk();
            return old;
        }
        return forChange().remove(key);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        if (forRead() == null) {
            for (Entry<? extends K, ? extends V> e : m.entrySet()) {
                layout.put(this, e.getKey(), e.getValue());
            }
            return;
        }
        forChange().putAll(m);
        grown();
    }

    @Override
    public void clear() {
        forChange();
        if (layout != null) {
            layout.release(); // its chunks are written empty: a concurrent change in one of them conflicts
        }
        map = new LinkedHashMap<>();
        layout = null;
    }

    // The default methods below: in the single-record form the LinkedHashMap's own (one touch, the JDK's
    // exact semantics); in the chunked form Map's defaults, built on get/containsKey/put/remove above,
    // which touch precisely.

    @Override
    public V putIfAbsent(K key, V value) {
        if (forRead() == null) {
            return Map.super.putIfAbsent(key, value);
        }
        V v = forChange().putIfAbsent(key, value);
        grown();
        return v;
    }

    @Override
    public boolean remove(Object key, Object value) {
        if (forRead() == null) {
            return Map.super.remove(key, value);
        }
        return forChange().remove(key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return forRead() == null ? Map.super.replace(key, oldValue, newValue)
                : forChange().replace(key, oldValue, newValue);
    }

    @Override
    public V replace(K key, V value) {
        return forRead() == null ? Map.super.replace(key, value) : forChange().replace(key, value);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> f) {
        if (forRead() == null) {
            return Map.super.computeIfAbsent(key, f);
        }
        V v = forChange().computeIfAbsent(key, f);
        grown();
        return v;
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        if (forRead() == null) {
            return Map.super.computeIfPresent(key, f);
        }
        return forChange().computeIfPresent(key, f);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        if (forRead() == null) {
            return Map.super.compute(key, f);
        }
        V v = forChange().compute(key, f);
        grown();
        return v;
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> f) {
        if (forRead() == null) {
            return Map.super.merge(key, value, f);
        }
        V v = forChange().merge(key, value, f);
        grown();
        return v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) {
        if (forRead() == null) {
            layout.replaceAll((k, v) -> f.apply((K) k, (V) v));
        } else {
            forChange().replaceAll(f);
        }
    }

    @Override
    public Set<K> keySet() {
        return new MapViews.Keys<>(this);
    }

    @Override
    public Collection<V> values() {
        return new MapViews.Values<>(this);
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new MapViews.Entries<>(this, true);
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        LinkedHashMap<K, V> m = forRead();
        return m != null ? m.equals(o) : asAbstractMap().equals(o);
    }

    @Override
    public int hashCode() {
        LinkedHashMap<K, V> m = forRead();
        return m != null ? m.hashCode() : asAbstractMap().hashCode();
    }

    @Override
    public String toString() {
        LinkedHashMap<K, V> m = forRead();
        return m != null ? m.toString() : asAbstractMap().toString();
    }

    /**
     * The entries in order, for the views. With {@code touch}, what the iteration walks over is touched
     * (the map, or each chunk when the iteration reaches it); without, only what the iterator's
     * {@code remove} and its entries' {@code setValue} change.
     *
     * <p>The cache may turn the map (or a chunk) into a ghost under an iteration (cacheMinimize, a
     * savepoint's gc in a batch job): only a clean one, whose reload equals what the iterator saw. The
     * iteration then goes on over what it walked, now a copy, and reads values from, and removes keys
     * from, the reloaded content, by key. A change of form under the iterator fails it.
     *
     * <p>With {@code values} (the caller reads the values), a large map's iteration prefetches each chunk's
     * persistent values when it reaches the chunk; an iteration of the keys loads no values.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Iterator<Entry<K, V>> entryIterator(boolean touch, boolean values) {
        LinkedHashMap<K, V> m = touch ? forChange() : forRead();
        if (m == null) {
            return (Iterator) layout.iterator(this, touch, values);
        }
        Iterator<Entry<K, V>> it = m.entrySet().iterator();
        return new Iterator<>() {
            /** The key next() returned last; valid while canRemove. */
            private K lastKey;
            private boolean canRemove;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Entry<K, V> next() {
                Entry<K, V> e = it.next();
                LinkedHashMap<K, V> now = live(touch);
                K key = e.getKey();
                V value = e.getValue();
                if (now != m) { // reloaded: the value is the live one
                    if (!now.containsKey(key)) {
                        throw new ConcurrentModificationException("the key was removed from the map around"
                                + " this iterator");
                    }
                    value = now.get(key);
                }
                lastKey = key;
                canRemove = true;
                return new AbstractMap.SimpleEntry<>(key, value) {
                    @Override
                    public V setValue(V newValue) {
                        LinkedHashMap<K, V> target = live(true);
                        if (!target.containsKey(key)) {
                            throw new ConcurrentModificationException("the entry was removed from the map");
                        }
                        target.put(key, newValue);
                        return super.setValue(newValue);
                    }
                };
            }

            @Override
            public void remove() {
                if (!canRemove) {
                    throw new IllegalStateException("remove() without next(), or twice");
                }
                LinkedHashMap<K, V> now = live(true);
                if (now == m) {
                    it.remove();
                } else { // reloaded: what it walks is a copy now, and stays untouched
                    if (!now.containsKey(lastKey)) {
                        throw new ConcurrentModificationException("the key was removed from the map around"
                                + " this iterator");
                    }
                    now.remove(lastKey);
                }
                canRemove = false;
            }
        };
    }

    /** The single-record content, loaded, touched with {@code touch}; fails if the map changed form. */
    private LinkedHashMap<K, V> live(boolean touch) {
        if (forRead() == null) {
            throw new ConcurrentModificationException("the map changed form (single record, chunks) since"
                    + " this iterator was made; iterate again");
        }
        return touch ? forChange() : forRead();
    }

    /** Switches to chunks when the single-record form grew past {@link #CHUNKED_ABOVE}. */
    private void grown() {
        if (map.size() > CHUNKED_ABOVE) {
            layout = MapLayout.of(map);
            map = null;
        }
    }

    /** Goes back to one record when the chunked form shrank below {@link #SINGLE_BELOW}. */
    @SuppressWarnings("unchecked")
    private void shrunk() {
        if (layout.size() < SINGLE_BELOW) {
            forChange();
            map = (LinkedHashMap<K, V>) layout.toMap();
            layout.release(); // its chunks are written empty: a concurrent change in one of them conflicts
            layout = null;
        }
    }

    private Map<K, V> asAbstractMap() {
        PersistentMap<K, V> self = this;
        return new AbstractMap<>() {
            @Override
            public Set<Entry<K, V>> entrySet() {
                return new MapViews.Entries<>(self, false);
            }

            @Override
            public int size() {
                return self.size();
            }

            @Override
            public V get(Object key) {
                return self.get(key);
            }

            @Override
            public boolean containsKey(Object key) {
                return self.containsKey(key);
            }
        };
    }
}
