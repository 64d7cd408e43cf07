package org.jodb;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;

/**
 * A sorted map for large data: a persistent B-tree (ZODB's {@code OOBTree}) whose inner nodes and buckets
 * are persistent objects of their own, loaded on demand. Create it with {@code new}, in the keys' natural
 * order or with a comparator that can be stored (see below); it becomes persistent when it is reachable
 * from the root at a savepoint or commit, like {@link PersistentMap}.
 *
 * <h2>What an operation loads</h2>
 * {@code get}, {@code containsKey}, {@code put}, {@code remove} and the navigation methods
 * ({@code ceilingKey}, {@code floorEntry}, {@code firstKey}, ...) load the nodes on one path from the root
 * to a bucket: a cold lookup in a tree of a million entries loads four records (the tree's own, two
 * branches, one bucket). {@code size()} loads one small counter record, never the buckets. Iteration, also
 * of {@code subMap}, {@code headMap}, {@code tailMap} and {@code descendingMap} views, walks the buckets in
 * key order and loads one at a time; the size of a view other than the whole map is counted by walking
 * it. Clean nodes are ghosts again when the connection's cache needs the room, so memory is bounded by
 * the cache, not by the size of the tree. {@link Connection#transferCounts()} shows what a call loaded.
 *
 * <h2>Concurrent changes</h2>
 * Resolved (both commit): two transactions that insert, replace or remove <em>different</em> keys, also in
 * the same bucket; the size counter adds both changes. Not resolved ({@link ConflictException};
 * {@code TransactionManager.run} retries): both changing one key, even to the same value (two
 * read-modify-writes of a balance that write the same result would otherwise lose one); a split of one bucket by both, or a split by one and any change of that
 * bucket by the other; the same for the emptying of a bucket (it leaves the tree), and for two changes of
 * one inner node (two splits of different buckets of one branch, say). Values are compared with
 * {@code equals}, persistent objects by identity.
 *
 * <h2>Comparators</h2>
 * The comparator is stored with the tree and must order the keys the same way after a restart: an instance
 * of a top-level or static nested class (a record or an enum, say) whose fields jodb can store, or
 * {@code Comparator.reverseOrder()}. A lambda, a method reference, an anonymous, local or inner class, and
 * the JDK's other comparators ({@code Comparator.comparing(...)}) are refused when the tree is made, with
 * an {@link IllegalArgumentException} saying what to write instead. Keys are stored inside the buckets'
 * records as values; with natural order a null key is refused ({@code NullPointerException}), as by
 * {@code TreeMap}.
 *
 * <h2>Views and values</h2>
 * Views write through, and their iterators support {@code remove}; {@code Entry.setValue} puts the value.
 * Iterators are weakly consistent: a change of the tree around one (other than through it) never makes it
 * fail; it goes on after the last key it returned. {@code get} and iteration touch the bucket holding a
 * value that could be changed in place (a plain list or object), so {@code tree.get(k).add(x)} is
 * committed, as with {@link PersistentMap}. Equality, hash code and text are those of {@code java.util} maps.
 *
 * <p>Pick {@link PersistentMap} for small maps and insertion order, this class for large or sorted data.
 * Not thread-safe, like the connection it belongs to. Final: its record is the tree's, and a subclass's
 * fields could not be tracked.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class PersistentTreeMap<K, V> extends PersistentTree implements NavigableMap<K, V> {

    /** An empty map in the keys' natural order. */
    public PersistentTreeMap() {
        this((Comparator<? super K>) null);
    }

    /**
     * An empty map in the order of {@code comparator} (null: natural order).
     *
     * @throws IllegalArgumentException when the comparator cannot be stored (see the class comment)
     */
    public PersistentTreeMap(Comparator<? super K> comparator) {
        this(comparator, BUCKET_CAPACITY, BRANCH_CAPACITY);
    }

    /** A map in natural order holding the entries of {@code content}; a {@code SortedMap}'s comparator too. */
    @SuppressWarnings("unchecked")
    public PersistentTreeMap(Map<? extends K, ? extends V> content) {
        this(content instanceof SortedMap<?, ?> s ? (Comparator<? super K>) s.comparator() : null);
        putAll(content);
    }

    /** For tests: small nodes, to see splits and removals at every level with few keys. */
    PersistentTreeMap(Comparator<? super K> comparator, int bucketCapacity, int branchCapacity) {
        super(comparator, true, bucketCapacity, branchCapacity);
    }

    private TreeRange<K, V> all() {
        return new TreeRange<>(this);
    }

    @Override
    public boolean containsKey(Object key) {
        return find(key) != null;
    }

    @Override
    public boolean containsValue(Object value) {
        return all().containsValue(value);
    }

    @Override
    public V get(Object key) {
        return all().get(key);
    }

    @Override
    public V put(K key, V value) {
        return all().put(key, value);
    }

    @Override
    public V remove(Object key) {
        return all().remove(key);
    }

    /**
     * As {@code Map.putIfAbsent} (a key mapped to null counts as absent), in one walk down the tree where
     * {@code get} then {@code put} make two. An existing value handed back is treated as {@code get} treats it:
     * its bucket is touched when the value may be changed in place.
     */
    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        Object old = insert(key, value, false);
        if (old == ABSENT) {
            return null;
        }
        if (old == null) {
            return put(key, value);
        }
        if (InPlaceChanges.possible(old)) {
            find(key).bucket().touch(); // as get: tree.putIfAbsent(k, v).add(x) must be found at commit
        }
        return (V) old;
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        for (Entry<? extends K, ? extends V> e : m.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }

    /** Removes every entry; loads and rewrites every node, so that a concurrent change anywhere conflicts. */
    @Override
    public void clear() {
        clearTree();
    }

    @Override
    public Set<K> keySet() {
        return navigableKeySet();
    }

    @Override
    public Collection<V> values() {
        return all().values();
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return all().entrySet();
    }

    @Override
    public Comparator<? super K> comparator() {
        return all().comparator();
    }

    @Override
    public K firstKey() {
        return all().firstKey();
    }

    @Override
    public K lastKey() {
        return all().lastKey();
    }

    @Override
    public Entry<K, V> firstEntry() {
        return all().firstEntry();
    }

    @Override
    public Entry<K, V> lastEntry() {
        return all().lastEntry();
    }

    @Override
    public Entry<K, V> pollFirstEntry() {
        return all().pollFirstEntry();
    }

    @Override
    public Entry<K, V> pollLastEntry() {
        return all().pollLastEntry();
    }

    @Override
    public Entry<K, V> lowerEntry(K key) {
        return all().lowerEntry(key);
    }

    @Override
    public K lowerKey(K key) {
        return all().lowerKey(key);
    }

    @Override
    public Entry<K, V> floorEntry(K key) {
        return all().floorEntry(key);
    }

    @Override
    public K floorKey(K key) {
        return all().floorKey(key);
    }

    @Override
    public Entry<K, V> ceilingEntry(K key) {
        return all().ceilingEntry(key);
    }

    @Override
    public K ceilingKey(K key) {
        return all().ceilingKey(key);
    }

    @Override
    public Entry<K, V> higherEntry(K key) {
        return all().higherEntry(key);
    }

    @Override
    public K higherKey(K key) {
        return all().higherKey(key);
    }

    @Override
    public NavigableMap<K, V> descendingMap() {
        return all().descendingMap();
    }

    @Override
    public NavigableSet<K> navigableKeySet() {
        return all().navigableKeySet();
    }

    @Override
    public NavigableSet<K> descendingKeySet() {
        return all().descendingKeySet();
    }

    @Override
    public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        return all().subMap(fromKey, fromInclusive, toKey, toInclusive);
    }

    @Override
    public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
        return all().headMap(toKey, inclusive);
    }

    @Override
    public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
        return all().tailMap(fromKey, inclusive);
    }

    @Override
    public SortedMap<K, V> subMap(K fromKey, K toKey) {
        return all().subMap(fromKey, toKey);
    }

    @Override
    public SortedMap<K, V> headMap(K toKey) {
        return all().headMap(toKey);
    }

    @Override
    public SortedMap<K, V> tailMap(K fromKey) {
        return all().tailMap(fromKey);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || all().equals(o);
    }

    @Override
    public int hashCode() {
        return all().hashCode();
    }

    @Override
    public String toString() {
        return all().toString();
    }
}
