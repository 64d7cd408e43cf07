package org.jodb;

import org.jodb.internal.object.ObjectState;
import org.jodb.internal.object.PersistentObject;

/**
 * The bookkeeping of jodb's own persistent classes (the containers, the B-tree, its nodes and its size
 * counter): made with {@code new}, not proxied, so each keeps its object state itself and loads or touches
 * itself before it reads or changes its fields.
 *
 * <p>Its only field is transient, so it adds nothing to the records of its subclasses. Not thread-safe.
 */
abstract class BuiltInPersistentObject implements PersistentObject {
    private transient ObjectState $jodbState;

    @Override
    public final ObjectState $jodbState() {
        return $jodbState;
    }

    @Override
    public final void $jodbState(ObjectState state) {
        this.$jodbState = state;
    }

    /** Loads this object if it is a ghost; does not touch it, so reading writes nothing. */
    final void load() {
        ObjectState s = $jodbState;
        if (s != null) {
            s.beforeRead();
        }
    }

    /** Loads this object if it is a ghost and touches it: the next savepoint or commit compares its record. */
    final void touch() {
        ObjectState s = $jodbState;
        if (s != null) {
            s.beforeChange();
        }
    }
}
