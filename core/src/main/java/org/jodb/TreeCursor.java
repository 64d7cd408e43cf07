package org.jodb;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jodb.PersistentTree.Spot;

/**
 * Walks the entries of a {@link TreeRange} in its order, one bucket at a time: ascending, from a bucket to
 * the next through the buckets' links (one load per bucket); descending, by one lookup of the greatest key
 * below a bucket's first (its path is loaded already, so in practice one load per bucket too).
 *
 * <p>It keeps the last key it returned and the position it found it at, and goes on from there only while
 * that position still holds that key; otherwise (the bucket was split, emptied, reloaded after a rollback,
 * or the entry removed, also through {@link #remove()}) it finds the next key after the last one returned
 * by a lookup. So it never fails with {@code ConcurrentModificationException}: like the iterators of
 * {@code java.util.concurrent}'s sorted maps it is weakly consistent, going on after the last key it
 * returned in the tree as it is now.
 *
 * <p>A cursor that hands out values prefetches them a bucket at a time: when it reaches a bucket, the values it
 * will hand out from there that are ghosts of persistent objects are loaded in one storage call
 * ({@code Connection.prefetch}), so that walking N buckets of persistent values costs about N calls, not one
 * per value. A cursor over keys loads no values.
 *
 * <p>Not thread-safe, like the connection the tree belongs to.
 */
final class TreeCursor {
    private final TreeRange<?, ?> range;
    private final PersistentTree tree;
    /** The position of the key returned last, or null before the first. */
    private Spot current;
    private Object currentKey;
    /** The position found by hasNext(), and its key, or null when not looked for yet. */
    private Spot pending;
    private Object pendingKey;
    private boolean started;
    private boolean canRemove;
    /** Whether the values are handed out, so that each bucket's are prefetched when the cursor reaches it. */
    private final boolean prefetchValues;
    /** The bucket whose values were prefetched last. */
    private TreeBucket prefetched;

    /** A cursor over the keys only: it loads the buckets, never the values. */
    TreeCursor(TreeRange<?, ?> range) {
        this(range, false);
    }

    /**
     * A cursor; with {@code prefetchValues}, each bucket's persistent values that are ghosts (those in the
     * range, from where the cursor enters) are loaded in one storage call when it reaches the bucket, instead
     * of one call per value as they are used.
     */
    TreeCursor(TreeRange<?, ?> range, boolean prefetchValues) {
        this.range = range;
        this.tree = range.tree;
        this.prefetchValues = prefetchValues;
    }

    boolean hasNext() {
        if (pending == null || !holds(pending, pendingKey)) {
            pending = advance();
            pendingKey = pending == null ? null : pending.key();
            if (pending != null && prefetchValues && pending.bucket() != prefetched) {
                prefetchFrom(pending);
            }
        }
        return pending != null;
    }

    /** Prefetches the values of {@code spot}'s bucket that this cursor will hand out, from {@code spot} on. */
    private void prefetchFrom(Spot spot) {
        TreeBucket b = spot.bucket();
        prefetched = b;
        int step = range.descending ? -1 : 1;
        int last = spot.index();
        for (int i = last + step; i >= 0 && i < b.size() && range.inRange(b.key(i)); i += step) {
            last = i;
        }
        b.prefetchValues(spot.index(), last);
    }

    /** Moves to the next entry; returns its position (in a loaded bucket). */
    Spot next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        current = pending;
        currentKey = pendingKey;
        pending = null;
        started = true;
        canRemove = true;
        return current;
    }

    /** Removes the entry returned last from the tree. */
    void remove() {
        if (!canRemove) {
            throw new IllegalStateException("remove() without next(), or twice");
        }
        tree.delete(currentKey);
        canRemove = false;
        pending = null;
    }

    /** The entry after the current one, or the first; null at the end of the range. */
    private Spot advance() {
        if (!started) {
            return range.firstSpot();
        }
        if (!holds(current, currentKey)) {
            return range.after(currentKey);
        }
        TreeBucket bucket = current.bucket();
        int i = current.index();
        Spot next;
        if (!range.descending) {
            if (i + 1 < bucket.size()) {
                next = new Spot(bucket, i + 1);
            } else {
                next = null;
                for (TreeBucket b = bucket.next(); b != null && next == null; b = b.next()) {
                    b.read();
                    next = b.size() > 0 ? new Spot(b, 0) : null;
                }
            }
        } else {
            next = i > 0 ? new Spot(bucket, i - 1) : range.after(currentKey);
        }
        return next == null || !range.inRange(next.key()) ? null : next;
    }

    /** Whether {@code spot} still holds {@code key}: its bucket loaded (a ghost is loaded here). */
    private boolean holds(Spot spot, Object key) {
        TreeBucket b = spot.bucket();
        b.read();
        return spot.index() < b.size() && tree.compare(b.key(spot.index()), key) == 0;
    }

    /** The cursor as an iterator of entries whose {@code setValue} writes through. */
    static final class Entries<K, V> implements Iterator<Map.Entry<K, V>> {
        private final TreeCursor cursor;

        Entries(TreeCursor cursor) {
            this.cursor = cursor;
        }

        @Override
        public boolean hasNext() {
            return cursor.hasNext();
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map.Entry<K, V> next() {
            Spot s = cursor.next();
            V value = (V) s.value();
            if (InPlaceChanges.possible(value)) {
                s.bucket().touch(); // the caller may change the value in place: compared at commit
            }
            return new TreeEntry<>(cursor.range, (K) s.key(), value);
        }

        @Override
        public void remove() {
            cursor.remove();
        }
    }

    /** The cursor as an iterator of keys. */
    static final class Keys<K> implements Iterator<K> {
        private final TreeCursor cursor;

        Keys(TreeCursor cursor) {
            this.cursor = cursor;
        }

        @Override
        public boolean hasNext() {
            return cursor.hasNext();
        }

        @Override
        @SuppressWarnings("unchecked")
        public K next() {
            return (K) cursor.next().key();
        }

        @Override
        public void remove() {
            cursor.remove();
        }
    }

    /** An entry handed out by iteration: {@code setValue} puts the value into the tree. */
    private static final class TreeEntry<K, V> implements Map.Entry<K, V> {
        private final TreeRange<K, V> range;
        private final K key;
        private V value;

        TreeEntry(TreeRange<?, ?> range, K key, V value) {
            @SuppressWarnings("unchecked")
            TreeRange<K, V> r = (TreeRange<K, V>) range;
            this.range = r;
            this.key = key;
            this.value = value;
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return value;
        }

        @Override
        public V setValue(V newValue) {
            V old = value;
            range.put(key, newValue);
            value = newValue;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && Objects.equals(key, e.getKey())
                    && Objects.equals(value, e.getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(key) ^ Objects.hashCode(value);
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }
}
