package org.jodb;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jodb.PersistentTree.Seek;
import org.jodb.PersistentTree.Spot;

/**
 * A {@code NavigableMap} over a key range of a {@link PersistentTree}, in ascending or descending order:
 * the whole of a {@link PersistentTreeMap}, and its {@code subMap}, {@code headMap}, {@code tailMap} and
 * {@code descendingMap} views (the semantics of {@code TreeMap}'s). A view holds no entries: every call
 * goes to the tree as it is, so it writes through and sees every change. Finding a key loads the nodes on
 * one path; iterating walks the buckets in order, loading one at a time ({@link TreeCursor}).
 *
 * <p>Bounds are absolute (in the tree's ascending order) whatever the direction of the view. Not
 * thread-safe, like the connection the tree belongs to.
 */
final class TreeRange<K, V> extends AbstractMap<K, V> implements NavigableMap<K, V> {
    final PersistentTree tree;
    private final boolean fromStart;
    private final Object lo;
    private final boolean loInclusive;
    private final boolean toEnd;
    private final Object hi;
    private final boolean hiInclusive;
    final boolean descending;

    /** The whole tree, ascending. */
    TreeRange(PersistentTree tree) {
        this(tree, true, null, true, true, null, true, false);
    }

    private TreeRange(PersistentTree tree, boolean fromStart, Object lo, boolean loInclusive, boolean toEnd,
            Object hi, boolean hiInclusive, boolean descending) {
        if (!fromStart && !toEnd && tree.compare(lo, hi) > 0) {
            throw new IllegalArgumentException("fromKey > toKey");
        }
        this.tree = tree;
        this.fromStart = fromStart;
        this.lo = lo;
        this.loInclusive = loInclusive;
        this.toEnd = toEnd;
        this.hi = hi;
        this.hiInclusive = hiInclusive;
        this.descending = descending;
    }

    // ---- bounds, in the tree's ascending order -------------------------------------------------------

    boolean tooLow(Object key) {
        if (!fromStart) {
            int c = tree.compare(key, lo);
            return c < 0 || (c == 0 && !loInclusive);
        }
        return false;
    }

    boolean tooHigh(Object key) {
        if (!toEnd) {
            int c = tree.compare(key, hi);
            return c > 0 || (c == 0 && !hiInclusive);
        }
        return false;
    }

    boolean inRange(Object key) {
        return !tooLow(key) && !tooHigh(key);
    }

    private boolean inClosedRange(Object key) {
        return (fromStart || tree.compare(key, lo) >= 0) && (toEnd || tree.compare(hi, key) >= 0);
    }

    private boolean inRange(Object key, boolean inclusive) {
        return inclusive ? inRange(key) : inClosedRange(key);
    }

    /** Refuses {@code key} (named {@code what} in the message) outside this view, as TreeMap's views do. */
    private void requireInRange(Object key, boolean inclusive, String what) {
        if (!inRange(key, inclusive)) {
            throw new IllegalArgumentException(what + " out of range");
        }
    }

    private boolean whole() {
        return fromStart && toEnd;
    }

    // ---- positions, in the tree's ascending order ----------------------------------------------------

    private Spot within(Spot s) {
        return s == null || !inRange(s.key()) ? null : s;
    }

    private Spot absLowest() {
        return within(fromStart ? tree.seek(Seek.FIRST, null) : tree.seek(loInclusive ? Seek.CEILING : Seek.HIGHER, lo));
    }

    private Spot absHighest() {
        return within(toEnd ? tree.seek(Seek.LAST, null) : tree.seek(hiInclusive ? Seek.FLOOR : Seek.LOWER, hi));
    }

    private Spot absCeiling(Object key) {
        return tooLow(key) ? absLowest() : within(tree.seek(Seek.CEILING, key));
    }

    private Spot absHigher(Object key) {
        return tooLow(key) ? absLowest() : within(tree.seek(Seek.HIGHER, key));
    }

    private Spot absFloor(Object key) {
        return tooHigh(key) ? absHighest() : within(tree.seek(Seek.FLOOR, key));
    }

    private Spot absLower(Object key) {
        return tooHigh(key) ? absHighest() : within(tree.seek(Seek.LOWER, key));
    }

    // ---- positions, in this view's order (for the cursor too) ----------------------------------------

    Spot firstSpot() {
        return descending ? absHighest() : absLowest();
    }

    Spot lastSpot() {
        return descending ? absLowest() : absHighest();
    }

    /** The position after {@code key} in this view's order, or null. */
    Spot after(Object key) {
        return descending ? absLower(key) : absHigher(key);
    }

    private Spot ceilingSpot(Object key) {
        return descending ? absFloor(key) : absCeiling(key);
    }

    private Spot floorSpot(Object key) {
        return descending ? absCeiling(key) : absFloor(key);
    }

    private Spot lowerSpot(Object key) {
        return descending ? absHigher(key) : absLower(key);
    }

    // ---- Map ------------------------------------------------------------------------------------------

    @Override
    public int size() {
        if (whole()) {
            return tree.size();
        }
        int n = 0;
        for (TreeCursor c = new TreeCursor(this); c.hasNext(); c.next()) {
            n++;
        }
        return n;
    }

    @Override
    public boolean isEmpty() {
        return whole() ? tree.count() == 0 : firstSpot() == null;
    }

    @Override
    public boolean containsKey(Object key) {
        return inRange(key) && tree.find(key) != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        if (!inRange(key)) {
            return null;
        }
        Spot s = tree.find(key);
        if (s == null) {
            return null;
        }
        V value = (V) s.value();
        if (InPlaceChanges.possible(value)) {
            s.bucket().touch(); // tree.get(k).add(x): a change in place must be found at commit
        }
        return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        requireInRange(key, true, "key");
        Object old = tree.insert(key, value, true);
        return old == PersistentTree.ABSENT ? null : (V) old;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        if (!inRange(key)) {
            return null;
        }
        Object old = tree.delete(key);
        return old == PersistentTree.ABSENT ? null : (V) old;
    }

    /** Removes {@code key}; true when it was there (a value may be null). */
    boolean removeKey(Object key) {
        return inRange(key) && tree.delete(key) != PersistentTree.ABSENT;
    }

    /** Adds {@code key} without a value (a set); true when it was absent. */
    boolean addKey(Object key) {
        requireInRange(key, true, "key");
        return tree.insert(key, null, false) == PersistentTree.ABSENT;
    }

    @Override
    public void clear() {
        if (whole()) {
            tree.clearTree();
        } else {
            super.clear();
        }
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new TreeCursor.Entries<>(new TreeCursor(TreeRange.this, true));
            }

            @Override
            public int size() {
                return TreeRange.this.size();
            }

            @Override
            public boolean isEmpty() {
                return TreeRange.this.isEmpty();
            }

            @Override
            public boolean contains(Object o) {
                if (!(o instanceof Entry<?, ?> e) || !inRange(e.getKey())) {
                    return false;
                }
                Spot s = tree.find(e.getKey());
                return s != null && Objects.equals(s.value(), e.getValue());
            }

            @Override
            public boolean remove(Object o) {
                return contains(o) && removeKey(((Entry<?, ?>) o).getKey());
            }

            @Override
            public void clear() {
                TreeRange.this.clear();
            }
        };
    }

    @Override
    public Set<K> keySet() {
        return navigableKeySet();
    }

    // ---- SortedMap and NavigableMap -------------------------------------------------------------------

    @Override
    @SuppressWarnings("unchecked")
    public Comparator<? super K> comparator() {
        Comparator<Object> c = tree.comparatorOrNull();
        if (!descending) {
            return (Comparator<? super K>) c;
        }
        return (Comparator<? super K>) (c == null ? Collections.reverseOrder() : Collections.reverseOrder(c));
    }

    @SuppressWarnings("unchecked")
    private K keyOrNull(Spot s) {
        return s == null ? null : (K) s.key();
    }

    private K keyOrThrow(Spot s) {
        if (s == null) {
            throw new NoSuchElementException();
        }
        return keyOrNull(s);
    }

    @SuppressWarnings("unchecked")
    private Entry<K, V> entryOrNull(Spot s) {
        return s == null ? null : new SimpleImmutableEntry<>((K) s.key(), (V) s.value());
    }

    @Override
    public K firstKey() {
        return keyOrThrow(firstSpot());
    }

    @Override
    public K lastKey() {
        return keyOrThrow(lastSpot());
    }

    @Override
    public Entry<K, V> firstEntry() {
        return entryOrNull(firstSpot());
    }

    @Override
    public Entry<K, V> lastEntry() {
        return entryOrNull(lastSpot());
    }

    @Override
    public Entry<K, V> pollFirstEntry() {
        return poll(firstSpot());
    }

    @Override
    public Entry<K, V> pollLastEntry() {
        return poll(lastSpot());
    }

    private Entry<K, V> poll(Spot s) {
        Entry<K, V> e = entryOrNull(s);
        if (e != null) {
            tree.delete(e.getKey());
        }
        return e;
    }

    @Override
    public Entry<K, V> lowerEntry(K key) {
        return entryOrNull(lowerSpot(key));
    }

    @Override
    public K lowerKey(K key) {
        return keyOrNull(lowerSpot(key));
    }

    @Override
    public Entry<K, V> floorEntry(K key) {
        return entryOrNull(floorSpot(key));
    }

    @Override
    public K floorKey(K key) {
        return keyOrNull(floorSpot(key));
    }

    @Override
    public Entry<K, V> ceilingEntry(K key) {
        return entryOrNull(ceilingSpot(key));
    }

    @Override
    public K ceilingKey(K key) {
        return keyOrNull(ceilingSpot(key));
    }

    @Override
    public Entry<K, V> higherEntry(K key) {
        return entryOrNull(after(key));
    }

    @Override
    public K higherKey(K key) {
        return keyOrNull(after(key));
    }

    @Override
    public NavigableMap<K, V> descendingMap() {
        return new TreeRange<>(tree, fromStart, lo, loInclusive, toEnd, hi, hiInclusive, !descending);
    }

    @Override
    public NavigableSet<K> navigableKeySet() {
        return new TreeKeySet<>(this, false);
    }

    @Override
    public NavigableSet<K> descendingKeySet() {
        return descendingMap().navigableKeySet();
    }

    @Override
    public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        requireInRange(fromKey, fromInclusive, "fromKey");
        requireInRange(toKey, toInclusive, "toKey");
        if (descending) {
            return new TreeRange<>(tree, false, toKey, toInclusive, false, fromKey, fromInclusive, true);
        }
        return new TreeRange<>(tree, false, fromKey, fromInclusive, false, toKey, toInclusive, false);
    }

    @Override
    public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
        requireInRange(toKey, inclusive, "toKey");
        if (descending) {
            return new TreeRange<>(tree, false, toKey, inclusive, toEnd, hi, hiInclusive, true);
        }
        return new TreeRange<>(tree, fromStart, lo, loInclusive, false, toKey, inclusive, false);
    }

    @Override
    public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
        requireInRange(fromKey, inclusive, "fromKey");
        if (descending) {
            return new TreeRange<>(tree, fromStart, lo, loInclusive, false, fromKey, inclusive, true);
        }
        return new TreeRange<>(tree, false, fromKey, inclusive, toEnd, hi, hiInclusive, false);
    }

    @Override
    public NavigableMap<K, V> subMap(K fromKey, K toKey) {
        return subMap(fromKey, true, toKey, false);
    }

    @Override
    public NavigableMap<K, V> headMap(K toKey) {
        return headMap(toKey, false);
    }

    @Override
    public NavigableMap<K, V> tailMap(K fromKey) {
        return tailMap(fromKey, true);
    }
}
