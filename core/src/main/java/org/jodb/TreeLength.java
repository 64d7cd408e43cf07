package org.jodb;

import org.jodb.internal.object.MergeableState;
import org.jodb.internal.object.ContainerPart;

/**
 * The number of entries of a {@link PersistentTree}, as a persistent object of its own (like ZODB's
 * {@code BTrees.Length}): {@code size()} loads this small record, not the tree's buckets. Every insertion
 * and removal changes it, so two transactions that change one tree both write it; their writes merge by
 * adding both changes ({@code committed + mine - old}), so the counter itself never causes a conflict.
 * Not thread-safe, like the connection it belongs to.
 */
final class TreeLength extends BuiltInPersistentObject implements MergeableState, ContainerPart {
    private long value;

    /** The count, loaded if this is a ghost. */
    long get() {
        load();
        return value;
    }

    /** Adds {@code delta}, touching the counter. */
    void add(long delta) {
        touch();
        value += delta;
    }

    @Override
    public boolean $jodbMerge(Object oldState, Object myState) {
        value += ((TreeLength) myState).value - ((TreeLength) oldState).value;
        return true;
    }

    @Override
    public String toString() {
        return "TreeLength[" + value + "]";
    }

    @Override
    public String $jodbContainerName() {
        return "org.jodb.PersistentTreeMap or PersistentTreeSet (the size counter of one)";
    }
}
