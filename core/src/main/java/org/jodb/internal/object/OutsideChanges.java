package org.jodb.internal.object;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Objects a method ran on while the session was in no transaction it could join: an explicit-mode manager
 * with no transaction begun, a transaction running its after-commit hooks, or a failed transaction waiting
 * for its abort. Reading there is free; writing is not silently committed by a later, unrelated
 * transaction: at the next boundary ({@link #settle}) changed objects lose the change and a warning is logged.
 */
final class OutsideChanges {
    private final ArrayDeque<ObjectState> objects = new ArrayDeque<>();
    private final ChangeTracker changes;
    private final Ghosts ghosts;

    OutsideChanges(ChangeTracker changes, Ghosts ghosts) {
        this.changes = changes;
        this.ghosts = ghosts;
    }

    /** A method starts on {@code state} outside a transaction. */
    void add(ObjectState state) {
        objects.add(state);
    }

    /** Whether {@code state} is the object added last (a run of calls on one object queues it once). */
    boolean isLast(ObjectState state) {
        return objects.peekLast() == state;
    }

    boolean isEmpty() {
        return objects.isEmpty();
    }

    /**
     * Compares each object with its saved bytes: unchanged ones are clean again, changed ones become ghosts
     * (the change belonged to no transaction).
     *
     * @return whether a change was dropped
     */
    boolean settle() {
        ObjectState s;
        boolean lost = false;
        while ((s = objects.poll()) != null) {
            if ((s.status != ObjectStatus.TOUCHED && s.status != ObjectStatus.CLEAN) || s.self.$jodbState() != s) {
                continue;
            }
            // changed to a value jodb cannot store: a change all the same, dropped like the others (thrown, it
            // failed begin() and left the object touched but queued nowhere, so never written again)
            byte[] bytes = changes.writtenOrNull(s);
            if (bytes == null || s.forced || !Arrays.equals(bytes, s.saved)) {
                lost = true;
                ghosts.invalidate(s);
            } else {
                s.status = ObjectStatus.CLEAN;
            }
        }
        return lost;
    }
}
