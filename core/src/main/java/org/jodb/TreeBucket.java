package org.jodb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.jodb.internal.object.EntryMerge;
import org.jodb.internal.object.MergeableState;
import org.jodb.internal.object.ObjectState;
import org.jodb.internal.object.ObjectStatus;
import org.jodb.internal.object.PersistentObject;

/**
 * A leaf of a {@link PersistentTree}: up to about {@code bucketCapacity} keys in order, their values (none
 * in a set's tree), and the next bucket in key order (ZODB's {@code Bucket} and its {@code _next}), so that
 * iteration walks from bucket to bucket loading one at a time.
 *
 * <p>Two transactions that change different keys of one bucket both commit: its conflict resolution
 * ({@link #$jodbMerge}) merges their entries. Not merged (the second commit gets a {@code ConflictException},
 * and {@code TransactionManager.run} retries it): the same key changed by both, even to the same value (two
 * withdrawals of 1 from a balance of 100 both write 99: merging them would lose one); a change of
 * the next bucket by either (a split of this bucket, or the removal of the bucket after it); a bucket that
 * either emptied, or that the merge would leave empty (an empty bucket leaves its tree: a change the other
 * made to it would land outside the tree).
 *
 * <p>The arrays are exactly as long as the bucket holds entries: what is stored is what is there. Not
 * thread-safe, like the connection it belongs to.
 */
final class TreeBucket extends TreeNode implements MergeableState {
    private static final Object[] NONE = {};

    /** The keys in the tree's order. */
    private Object[] keys;
    /** The values, by the index of their keys; null in a set's tree. */
    private Object[] values;
    /** The bucket holding the next keys in order, or null for the last bucket. */
    private TreeBucket next;
    /**
     * The tree's comparator, null for natural order: for conflict resolution, which merges a bucket alone
     * and must keep its keys in order. Stored in every bucket of a tree with a comparator.
     */
    private Comparator<Object> comparator;

    TreeBucket(Comparator<Object> comparator, boolean withValues) {
        this.comparator = comparator;
        this.keys = NONE;
        this.values = withValues ? NONE : null;
    }

    @Override
    Object[] keys() {
        return keys;
    }

    @Override
    void keys(Object[] equalKeys) {
        keys = equalKeys;
    }

    // The methods below expect the bucket loaded (read() or touch() first).

    int size() {
        return keys.length;
    }

    Object key(int i) {
        return keys[i];
    }

    Object value(int i) {
        return values == null ? null : values[i];
    }

    TreeBucket next() {
        return next;
    }

    void next(TreeBucket bucket) {
        next = bucket;
    }

    /**
     * Hints the connection to load, in one storage call, the values at indexes {@code from} to {@code to}
     * (inclusive, either way round) that are persistent ghosts: iteration is about to hand them out.
     */
    void prefetchValues(int from, int to) {
        ObjectState s = $jodbState();
        if (values == null || s == null) {
            return;
        }
        List<Object> persistent = new ArrayList<>();
        for (int i = Math.min(from, to); i <= Math.max(from, to); i++) {
            if (values[i] instanceof PersistentObject p && p.$jodbState() != null
                    && p.$jodbState().status() == ObjectStatus.GHOST) {
                persistent.add(p);
            }
        }
        if (persistent.size() > 1) { // a single ghost loads as well on its own when used
            s.prefetchAlong(persistent);
        }
    }

    /** The index of {@code key}, or {@code -(insertion point) - 1}, like {@code Arrays.binarySearch}. */
    int search(Object key, PersistentTree tree) {
        if (key instanceof Long k && tree.naturalOrder() && settled()) {
            long[] longs = longKeys(keys);
            if (longs != null) {
                return Arrays.binarySearch(longs, k); // the same answer, without a Long per comparison
            }
        }
        int lo = 0;
        int hi = keys.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = tree.compare(keys[mid], key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Replaces the value at {@code i}; returns the old one. The caller touched the bucket. */
    Object setValue(int i, Object value) {
        Object old = values[i];
        values[i] = value;
        return old;
    }

    /** Inserts an entry at index {@code i}. The caller touched the bucket. */
    void insert(int i, Object key, Object value) {
        keys = inserted(keys, i, key);
        if (values != null) {
            values = inserted(values, i, value);
        }
    }

    /** Removes the entry at index {@code i}; returns its value. The caller touched the bucket. */
    Object removeAt(int i) {
        Object old = value(i);
        keys = removed(keys, i);
        if (values != null) {
            values = removed(values, i);
        }
        return old;
    }

    /**
     * Moves the upper half of the entries into a new bucket linked after this one, and returns it. The
     * caller touched this bucket.
     */
    TreeBucket split() {
        int half = keys.length / 2;
        TreeBucket right = new TreeBucket(comparator, values != null);
        right.keys = Arrays.copyOfRange(keys, half, keys.length);
        keys = Arrays.copyOf(keys, half);
        if (values != null) {
            right.values = Arrays.copyOfRange(values, half, values.length);
            values = Arrays.copyOf(values, half);
        }
        right.next = next;
        next = right;
        return right;
    }

    @Override
    void release() {
        touch();
        keys = NONE;
        values = values == null ? null : NONE;
    }

    @Override
    public boolean $jodbMerge(Object oldState, Object myState) {
        TreeBucket old = (TreeBucket) oldState;
        TreeBucket mine = (TreeBucket) myState;
        if (old.next != next || mine.next != next) {
            return false; // a split, or the removal of the next bucket: the parent branch changed too
        }
        if (old.keys.length > 0 && (keys.length == 0 || mine.keys.length == 0)) {
            return false; // emptied: it left its tree
        }
        TreeMap<Object, Object> merged = entries();
        if (!EntryMerge.apply(old.entries(), merged, mine.entries()) || merged.isEmpty()) {
            return false;
        }
        keys = merged.keySet().toArray();
        if (values != null) {
            values = merged.values().toArray();
            for (int i = 0; i < values.length; i++) {
                values[i] = values[i] == SetMark.PRESENT ? null : values[i];
            }
        }
        return true;
    }

    /** The entries as a sorted map, for a merge; a set's keys map to {@link SetMark#PRESENT}. */
    private TreeMap<Object, Object> entries() {
        TreeMap<Object, Object> map = new TreeMap<>(comparator);
        for (int i = 0; i < keys.length; i++) {
            Object v = values == null ? SetMark.PRESENT : values[i];
            map.put(keys[i], v == null ? SetMark.PRESENT : v); // a map's null value, told apart from absence
        }
        return map;
    }

    /** What a key of a set, or a null value, maps to in a merge (compared by identity, equal only to itself). */
    private enum SetMark {
        PRESENT
    }

    private static Object[] inserted(Object[] a, int i, Object x) {
        Object[] b = new Object[a.length + 1];
        System.arraycopy(a, 0, b, 0, i);
        b[i] = x;
        System.arraycopy(a, i, b, i + 1, a.length - i);
        return b;
    }

    private static Object[] removed(Object[] a, int i) {
        if (a.length == 1) {
            return NONE;
        }
        Object[] b = new Object[a.length - 1];
        System.arraycopy(a, 0, b, 0, i);
        System.arraycopy(a, i + 1, b, i, a.length - i - 1);
        return b;
    }
}
