package org.jodb;

import org.jodb.internal.object.ImmutableTypes;
import org.jodb.internal.object.PersistentObject;

/**
 * Whether a value handed out by a container's reading method ({@code PersistentMap.get},
 * {@code PersistentList.get}) could be changed in place by the caller ({@code map.get(k).add(x)}), so that
 * the container must be touched for the change to be found at the next savepoint or commit (DESIGN: a
 * change to a plain collection inside a persistent object is found). Immutable values and persistent
 * objects (which track themselves) need no touch, so reading them stays free. Thread-safe.
 */
final class InPlaceChanges {
    private InPlaceChanges() {
    }

    /** True unless {@code value} is null, a persistent object, or of a type whose instances cannot change. */
    static boolean possible(Object value) {
        return value != null && !(value instanceof PersistentObject) && !ImmutableTypes.immutable(value.getClass());
    }
}
