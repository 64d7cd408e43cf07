package org.jodb;

import org.jodb.internal.object.ContainerPart;
import org.jodb.internal.object.ObjectState;
import org.jodb.internal.object.PersistentObject;

/**
 * A node of a {@link PersistentTree}: a {@link TreeBucket} (keys and values) or a {@link TreeBranch} (child
 * nodes and the keys that separate them). Each node is a persistent object with a record of its own,
 * loaded on demand: a lookup loads the nodes on its path only. The application never sees a node.
 *
 * <p>Equality is identity: nodes are compared as references, never by content, which would load them. Not
 * thread-safe, like the connection it belongs to.
 */
abstract class TreeNode implements PersistentObject, ContainerPart {
    private transient ObjectState $jodbState;

    @Override
    public final ObjectState $jodbState() {
        return $jodbState;
    }

    @Override
    public final void $jodbState(ObjectState state) {
        this.$jodbState = state;
    }

    /** Loads this node if it is a ghost; does not touch it. Returns this, for chaining. */
    final TreeNode read() {
        ObjectState s = $jodbState;
        if (s != null) {
            s.beforeRead();
        }
        return this;
    }

    /** Loads this node if it is a ghost and touches it: the next savepoint or commit compares its record. */
    final void change() {
        ObjectState s = $jodbState;
        if (s != null) {
            s.beforeChange();
        }
    }

    /** Empties this node, loaded and touched: it leaves its tree and is written empty (see PersistentTree). */
    abstract void release();

    @Override
    public final String toString() {
        ObjectState s = $jodbState;
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
