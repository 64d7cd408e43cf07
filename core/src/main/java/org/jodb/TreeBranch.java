package org.jodb;

import java.util.Arrays;

/**
 * An inner node of a {@link PersistentTree} (ZODB's {@code BTree} node): up to about
 * {@code branchCapacity} children in key order and the keys that separate them. Child {@code i} holds
 * keys from {@code keys[i - 1]} (inclusive; for the first child, from the branch's own lower bound) up to
 * {@code keys[i]} (exclusive; for the last child, up to the branch's upper bound).
 *
 * <p>A branch is never merged: two transactions that both change one (each splitting a different child,
 * or removing an emptied one) conflict, and {@code TransactionManager.run} retries the second. That is
 * rare: a branch changes once per split or emptying of a child. Not thread-safe.
 */
final class TreeBranch extends TreeNode {
    private static final Object[] NONE = {};

    /** The separating keys: {@code keys.length == children.length - 1}. */
    private Object[] keys;
    /** The children, all buckets or all branches; never empty while the branch is in its tree. */
    private TreeNode[] children;

    /** A branch of two children separated by {@code key} (a new root, or the right half of a split). */
    TreeBranch(TreeNode left, Object key, TreeNode right) {
        keys = new Object[] {key};
        children = new TreeNode[] {left, right};
    }

    private TreeBranch(Object[] keys, TreeNode[] children) {
        this.keys = keys;
        this.children = children;
    }

    @Override
    Object[] keys() {
        return keys;
    }

    @Override
    void keys(Object[] equalKeys) {
        keys = equalKeys;
    }

    // The methods below expect the branch loaded (read() or touch() first).

    int childCount() {
        return children.length;
    }

    TreeNode child(int i) {
        return children[i];
    }

    /** The index of the child whose range holds {@code key}: the number of separators at most {@code key}. */
    int childFor(Object key, PersistentTree tree) {
        if (key instanceof Long k && tree.naturalOrder() && settled()) {
            long[] longs = longKeys(keys);
            if (longs != null) { // the same answer, without a Long per comparison (separators are distinct)
                int at = Arrays.binarySearch(longs, k);
                return at >= 0 ? at + 1 : -at - 1;
            }
        }
        int lo = 0;
        int hi = keys.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (tree.compare(keys[mid], key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Inserts {@code child} after child {@code i}, separated from it by {@code key}. The caller touched it. */
    void insertAfter(int i, Object key, TreeNode child) {
        keys = inserted(keys, i, key);
        children = inserted(children, i + 1, child);
    }

    /**
     * Removes child {@code i} and a separator next to it: its lower bound, so that the child before it
     * takes its range, or for the first child its upper bound, so that the next one does. The caller
     * touched the branch.
     */
    void removeChild(int i) {
        children = removed(children, i);
        if (keys.length > 0) {
            keys = removed(keys, i > 0 ? i - 1 : 0);
        }
    }

    /**
     * Moves the upper half of the children into a new branch; returns it with the key that separates it
     * from this one. The caller touched this branch.
     */
    Split split() {
        int half = children.length / 2;
        Object separator = keys[half - 1];
        TreeBranch right = new TreeBranch(Arrays.copyOfRange(keys, half, keys.length),
                Arrays.copyOfRange(children, half, children.length));
        keys = Arrays.copyOf(keys, half - 1);
        children = Arrays.copyOf(children, half);
        return new Split(separator, right);
    }

    /** The right half of a split branch and the key that separates it from the left half. */
    record Split(Object separator, TreeBranch right) {
    }

    @Override
    void release() {
        touch();
        keys = NONE;
        children = new TreeNode[0];
    }

    private static <T> T[] inserted(T[] a, int i, T x) {
        T[] b = Arrays.copyOf(a, a.length + 1);
        System.arraycopy(a, i, b, i + 1, a.length - i);
        b[i] = x;
        return b;
    }

    private static <T> T[] removed(T[] a, int i) {
        T[] b = Arrays.copyOf(a, a.length - 1);
        System.arraycopy(a, i + 1, b, i, a.length - i - 1);
        return b;
    }
}
