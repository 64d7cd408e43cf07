package org.jodb;

import java.util.OptionalLong;
import org.jodb.internal.object.ObjectState;
import org.jodb.internal.object.PersistentObject;
import org.jodb.internal.object.Session;

/**
 * Questions and the one escape hatch about persistent objects.
 *
 * <p>Threads: a static facade without state of its own. {@link #oid} and {@link #isPersistent} may be asked
 * from any thread; {@link #markChanged} touches the object, so it is refused (an {@link IllegalStateException})
 * from any thread but the one its connection serves, like any method of the object.
 */
public final class Persistence {
    private Persistence() {
    }

    /**
     * The object's oid; empty when it has none: not a persistent object, or not reached from stored state
     * by a savepoint or commit yet (or disowned again by an abort or rollback).
     */
    public static OptionalLong oid(Object object) {
        return Session.oidOf(object);
    }

    /**
     * True for an instance of a persistent class (made by {@code Connection.create}, or a
     * {@link PersistentMap} or {@link PersistentList}): it is stored as a record of its own and referenced
     * from others. False for values, which are stored inside the record of the object holding them.
     */
    public static boolean isPersistent(Object object) {
        return object instanceof PersistentObject;
    }

    /**
     * Makes the next savepoint or commit write {@code object} even if its bytes did not change (ZODB's
     * {@code _p_changed = True}). Rarely needed: jodb compares the bytes of every object a method ran on.
     *
     * @throws IllegalArgumentException when {@code object} is not persistent
     */
    public static void markChanged(Object object) {
        if (!(object instanceof PersistentObject p)) {
            throw new IllegalArgumentException("not a persistent object (made by Connection.create, or a"
                    + " PersistentMap or PersistentList): " + (object == null ? "null" : object.getClass().getName()));
        }
        ObjectState s = p.$jodbState();
        if (s != null) {
            s.markChanged();
        }
    }
}
