package org.jodb;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * The B-tree shared by {@link PersistentTreeMap} and {@link PersistentTreeSet} (ZODB's {@code BTree}): its
 * own record holds the comparator, the root node and the size counter; the nodes are persistent objects
 * of their own, loaded on demand, so a lookup loads the nodes on its path and nothing else.
 *
 * <pre>
 * Shape: the root is a TreeBucket, or a TreeBranch whose children are all branches or all buckets, down to
 *   buckets at one depth. Buckets hold the entries in order and link to the next bucket (iteration walks
 *   these links). Only a tree's root bucket may be empty.
 * Growth: a bucket past bucketCapacity entries splits in two halves; the right half is linked after it and
 *   added to the parent branch, which splits likewise past branchCapacity children; a root that splits
 *   gets a new root branch above it (the tree's record changes).
 * Shrinking: a bucket that loses its last entry is unlinked from the bucket before it and removed from its
 *   branch; a branch that loses its last child is removed from its parent; a root branch left with one
 *   child is replaced by that child (or, with none, by an empty bucket). Buckets and branches are never
 *   merged with a neighbour while they hold entries (as in ZODB): a shrinking tree keeps its depth, and
 *   concurrent removals from neighbours do not conflict.
 * Leaving: every node that leaves the tree (emptied, collapsed, or all of them on clear()) is written
 *   empty, so a concurrent transaction that changed it, which writes that node only, conflicts instead
 *   of committing into a record the tree no longer reaches. The empty record is unreachable; pack
 *   removes it.
 * Touching: an operation touches exactly what it changes: the bucket of the key, the size counter, and on
 *   a split or removal the branches and buckets it rewires, the tree's own record only when the root
 *   changes.
 * </pre>
 *
 * <p>Sizes: every record costs a fixed amount besides its content (its log header and checksum, its index
 * entry, one index lookup per load), and a commit rewrites a changed record whole. A bucket of
 * {@value #BUCKET_CAPACITY} entries keeps that fixed cost small beside the entries (a few KB for keys and
 * values of tens of bytes) while an insertion rewrites only that much. Branches change only when a child
 * splits or empties, so they can be wide: with {@value #BRANCH_CAPACITY} children, a root branch over one
 * level of branches reaches 65,536 buckets, so a million entries (at most 31,250 buckets, which a split
 * leaves at least half full, while removals have not thinned them) fit in three levels, and a cold lookup
 * loads four records with the tree's own.
 *
 * <p>Not thread-safe, like the connection it belongs to.
 */
abstract class PersistentTree extends BuiltInPersistentObject {
    /** Entries a bucket takes before it splits. */
    static final int BUCKET_CAPACITY = 64;
    /** Children a branch takes before it splits. */
    static final int BRANCH_CAPACITY = 256;
    /** What a lookup, insertion or removal returns when the key was absent. */
    static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "ABSENT";
        }
    };

    /** The order of the keys; null for their natural order. */
    private Comparator<Object> comparator;
    private TreeNode root;
    private TreeLength length;
    private int bucketCapacity;
    private int branchCapacity;
    /** Whether the buckets hold values: false for a set. */
    private boolean withValues;

    @SuppressWarnings("unchecked")
    PersistentTree(Comparator<?> comparator, boolean withValues, int bucketCapacity, int branchCapacity) {
        if (bucketCapacity < 2 || branchCapacity < 3) {
            throw new IllegalArgumentException("a bucket holds at least 2 entries and a branch 3 children");
        }
        this.comparator = (Comparator<Object>) StorableComparators.check(comparator);
        this.withValues = withValues;
        this.bucketCapacity = bucketCapacity;
        this.branchCapacity = branchCapacity;
        this.root = new TreeBucket(this.comparator, withValues);
        this.length = new TreeLength();
    }

    /** The comparator as the application gave it, null for natural order. */
    @SuppressWarnings("unchecked")
    final Comparator<Object> comparatorOrNull() {
        load();
        return (Comparator<Object>) StorableComparators.canonical(comparator);
    }

    /** Whether the keys are in their natural order (no comparator). */
    final boolean naturalOrder() {
        return comparator == null;
    }

    @SuppressWarnings("unchecked")
    final int compare(Object a, Object b) {
        Comparator<Object> c = comparator;
        return c == null ? ((Comparable<Object>) a).compareTo(b) : c.compare(a, b);
    }

    /**
     * Refuses a key the tree cannot order, as {@code TreeMap} does: null with natural order
     * ({@code NullPointerException}), a key that does not fit the order ({@code ClassCastException}).
     */
    private void checkKey(Object key) {
        if (comparator == null) {
            Objects.requireNonNull(key, "a tree in natural order cannot hold a null key");
        }
        compare(key, key);
    }

    /** The number of entries: loads the size counter only. */
    final long count() {
        load();
        return length.get();
    }

    /** {@link #count()} as a collection's size: {@code Integer.MAX_VALUE} past it. Loads the size counter only. */
    public final int size() {
        long n = count();
        return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    /** Loads the size counter only. */
    public final boolean isEmpty() {
        return count() == 0;
    }

    /** The number of node levels, a bucket counting as one (for tests: loads the leftmost path). */
    final int depth() {
        load();
        int depth = 1;
        for (TreeNode n = root.read(); n instanceof TreeBranch b; n = b.child(0).read()) {
            depth++;
        }
        return depth;
    }

    /** The position of {@code key}, or null when absent. */
    final Spot find(Object key) {
        load();
        checkKey(key);
        TreeNode n = root.read();
        while (n instanceof TreeBranch b) {
            n = b.child(b.childFor(key, this)).read();
        }
        TreeBucket bucket = (TreeBucket) n;
        int i = bucket.search(key, this);
        return i >= 0 ? new Spot(bucket, i) : null;
    }

    /**
     * Puts an entry; returns the previous value, or {@link #ABSENT} when the key was new. Without
     * {@code replace}, an existing entry is left as it is.
     */
    final Object insert(Object key, Object value, boolean replace) {
        load();
        checkKey(key);
        Path path = descend(key);
        TreeBucket bucket = path.bucket;
        int i = bucket.search(key, this);
        if (i >= 0) {
            if (!replace) {
                return bucket.value(i);
            }
            bucket.touch();
            return withValues ? bucket.setValue(i, value) : null;
        }
        bucket.touch();
        bucket.insert(-i - 1, key, value);
        length.add(1);
        if (bucket.size() > bucketCapacity) {
            TreeBucket right = bucket.split();
            addChild(path, path.depth - 1, bucket, right.key(0), right);
        }
        return ABSENT;
    }

    /** Removes {@code key}; returns its value, or {@link #ABSENT} when it was absent (nothing touched). */
    final Object delete(Object key) {
        load();
        checkKey(key);
        Path path = descend(key);
        TreeBucket bucket = path.bucket;
        int i = bucket.search(key, this);
        if (i < 0) {
            return ABSENT;
        }
        bucket.touch();
        Object old = bucket.removeAt(i);
        length.add(-1);
        if (bucket.size() == 0 && path.depth > 0) {
            Spot before = seek(Seek.LOWER, key); // the empty bucket has no key below: the one before has
            if (before != null) {
                before.bucket().touch();
                before.bucket().next(bucket.next());
            }
            removeChild(path, path.depth - 1);
        }
        return old;
    }

    /** Removes every entry, writing every node empty (see Leaving above); loads every node. */
    final void clearTree() {
        load();
        if (root.read() instanceof TreeBucket) {
            root.release();
        } else {
            release(root);
            touch();
            root = new TreeBucket(comparator, withValues);
        }
        length.add(-length.get());
    }

    private void release(TreeNode node) {
        if (node.read() instanceof TreeBranch b) {
            for (int i = 0; i < b.childCount(); i++) {
                release(b.child(i));
            }
        }
        node.release();
    }

    /** The kinds of {@link #seek}. */
    enum Seek {
        FIRST, LAST, CEILING, HIGHER, FLOOR, LOWER;

        boolean upward() {
            return this == FIRST || this == CEILING || this == HIGHER;
        }
    }

    /**
     * The position of the first or last key, or of the least key at least ({@code CEILING}) or above
     * ({@code HIGHER}) {@code key}, or of the greatest at most ({@code FLOOR}) or below ({@code LOWER}) it;
     * null when there is none. Loads the nodes on one path, and the first or last node of a neighbour
     * subtree when the key's own subtree holds no answer.
     */
    final Spot seek(Seek mode, Object key) {
        load();
        if (mode != Seek.FIRST && mode != Seek.LAST) {
            checkKey(key);
        }
        return seek(root, mode, key);
    }

    private Spot seek(TreeNode node, Seek mode, Object key) {
        if (node.read() instanceof TreeBucket b) {
            int n = b.size();
            int i;
            if (mode == Seek.FIRST) {
                i = 0;
            } else if (mode == Seek.LAST) {
                i = n - 1;
            } else {
                int at = b.search(key, this);
                int insertion = at >= 0 ? at : -at - 1;
                i = switch (mode) {
                    case CEILING -> insertion;
                    case HIGHER -> at >= 0 ? at + 1 : insertion;
                    case FLOOR -> at >= 0 ? at : insertion - 1;
                    default -> insertion - 1; // LOWER
                };
            }
            return i >= 0 && i < n ? new Spot(b, i) : null;
        }
        TreeBranch b = (TreeBranch) node;
        int n = b.childCount();
        int start = mode == Seek.FIRST ? 0 : mode == Seek.LAST ? n - 1 : b.childFor(key, this);
        int step = mode.upward() ? 1 : -1;
        for (int i = start; i >= 0 && i < n; i += step) {
            Seek inChild = i == start ? mode : mode.upward() ? Seek.FIRST : Seek.LAST;
            Spot s = seek(b.child(i), inChild, key);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /** The branches from the root down to the bucket that holds, or would hold, {@code key}. */
    private Path descend(Object key) {
        Path path = new Path();
        TreeNode n = root.read();
        while (n instanceof TreeBranch b) {
            int i = b.childFor(key, this);
            path.push(b, i);
            n = b.child(i).read();
        }
        path.bucket = (TreeBucket) n;
        return path;
    }

    /**
     * Adds {@code right}, split from {@code left}, to the branch at {@code level} of {@code path} (a new
     * root above {@code left} when {@code level} is -1), splitting that branch in turn when it overflows.
     */
    private void addChild(Path path, int level, TreeNode left, Object separator, TreeNode right) {
        if (level < 0) {
            touch();
            root = new TreeBranch(left, separator, right);
            return;
        }
        TreeBranch parent = path.branches[level];
        parent.touch();
        parent.insertAfter(path.indexes[level], separator, right);
        if (parent.childCount() > branchCapacity) {
            TreeBranch.Split split = parent.split();
            addChild(path, level - 1, parent, split.separator(), split.right());
        }
    }

    /**
     * Removes the child on {@code path} at {@code level} (a node that was emptied, and is written empty);
     * removes the branch in turn when that was its last child, and replaces a root branch left with one
     * child or none.
     */
    private void removeChild(Path path, int level) {
        TreeBranch parent = path.branches[level];
        int i = path.indexes[level];
        parent.touch();
        parent.child(i).release();
        parent.removeChild(i);
        if (level == 0 && parent.childCount() <= 1) {
            touch();
            root = parent.childCount() == 1 ? parent.child(0) : new TreeBucket(comparator, withValues);
            parent.release();
        } else if (parent.childCount() == 0) {
            removeChild(path, level - 1);
        }
    }

    /** A position in a loaded bucket: the entry at {@code index}. */
    record Spot(TreeBucket bucket, int index) {
        Object key() {
            return bucket.key(index);
        }

        Object value() {
            return bucket.value(index);
        }
    }

    /** The branches passed on the way down to a bucket, and the child taken in each. */
    private static final class Path {
        TreeBranch[] branches = new TreeBranch[4];
        int[] indexes = new int[4];
        int depth;
        TreeBucket bucket;

        void push(TreeBranch b, int i) {
            if (depth == branches.length) {
                branches = Arrays.copyOf(branches, depth * 2);
                indexes = Arrays.copyOf(indexes, depth * 2);
            }
            branches[depth] = b;
            indexes[depth++] = i;
        }
    }
}
