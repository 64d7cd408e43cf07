package org.jodb;

import org.jodb.internal.object.ContainerPart;
import org.jodb.internal.object.ObjectState;
import org.jodb.internal.object.ObjectStatus;
import org.jodb.internal.object.SharedKeys;

/**
 * A node of a {@link PersistentTree}: a {@link TreeBucket} (keys and values) or a {@link TreeBranch} (child
 * nodes and the keys that separate them). Each node is a persistent object with a record of its own,
 * loaded on demand: a lookup loads the nodes on its path only. The application never sees a node.
 *
 * <p>Equality is identity: nodes are compared as references, never by content, which would load them. Not
 * thread-safe, like the connection it belongs to.
 */
abstract class TreeNode extends BuiltInPersistentObject implements ContainerPart, SharedKeys {
    /**
     * The keys array {@link #longKeys} last converted, with its longs (never stored: transient fields are not).
     * Shared with the database's other connections that loaded the same revision of this node, along with
     * the keys array ({@link SharedKeys}).
     */
    private transient LongKeys longKeys;

    /** A keys array and its keys as longs, or null longs when a key of it is not a {@code Long}. Immutable. */
    private record LongKeys(Object[] keys, long[] longs) {
    }

    /** This node's keys array, as it is (never written in place: a change replaces it). */
    abstract Object[] keys();

    /** Replaces this node's keys array by an equal one. */
    abstract void keys(Object[] equalKeys);

    /** Loads this node if it is a ghost; does not touch it. Returns this, for chaining. */
    final TreeNode read() {
        load();
        return this;
    }

    /**
     * Whether this node is loaded and unchanged since it was loaded or saved: a node that is only read, such
     * as a large map's hash index on every lookup, as opposed to one the transaction is changing.
     */
    final boolean settled() {
        ObjectState s = $jodbState();
        return s != null && s.status() == ObjectStatus.CLEAN;
    }

    /**
     * {@code keys}, this node's keys array, as longs, or null when one is not a {@code Long}. Converted once
     * per array: the node replaces its keys array on every change (its arrays are never written in place),
     * so the same array means the same keys. A binary search over the longs reads one array where one over
     * the keys reads the array and a {@code Long} per comparison, each a cache miss in a large tree. For
     * {@link #settled} nodes only (the caller asks), so that a node changed key by key is not converted
     * after every change.
     */
    final long[] longKeys(Object[] keys) {
        LongKeys k = longKeys;
        if (k == null || k.keys != keys) {
            k = new LongKeys(keys, asLongs(keys));
            longKeys = k;
        }
        return k.longs;
    }

    private static long[] asLongs(Object[] keys) {
        if (keys.length > 0 && !(keys[0] instanceof Long)) {
            return null; // a tree of other keys: nothing to convert, nothing to allocate
        }
        long[] longs = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            if (!(keys[i] instanceof Long k)) {
                return null;
            }
            longs[i] = k;
        }
        return longs;
    }

    @Override
    public final Object $jodbKeysToShare() {
        Object[] keys = keys();
        for (Object key : keys) {
            if (!SharedKeys.immutable(key)) {
                return null;
            }
        }
        longKeys(keys);
        return longKeys;
    }

    @Override
    public final void $jodbAdoptKeys(Object shared) {
        if (shared instanceof LongKeys k && k.keys.length == keys().length) { // the same revision: the same keys
            keys(k.keys);
            longKeys = k;
        }
    }

    /** Empties this node, loaded and touched: it leaves its tree and is written empty (see PersistentTree). */
    abstract void release();

    @Override
    public final String toString() {
        ObjectState s = $jodbState();
        return getClass().getSimpleName() + "[" + (s == null || s.oid() == ObjectState.NO_OID ? "new" : "oid "
                + s.oid()) + "]";
    }

    /** A conflict on a node names the tree: which of map or set is not known to the node. */
    @Override
    public final String $jodbContainerName() {
        return "org.jodb.PersistentTreeMap or PersistentTreeSet (" + (this instanceof TreeBucket ? "a bucket" : "a branch")
                + " of one)";
    }
}
