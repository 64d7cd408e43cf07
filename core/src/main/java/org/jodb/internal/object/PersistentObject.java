package org.jodb.internal.object;

/**
 * Implemented by every persistent class: the generated proxies of user classes, {@code PersistentMap} and
 * {@code PersistentList}. Internal to jodb; application code never calls these methods (the names start
 * with {@code $jodb} so that they cannot clash with the application's own).
 */
public interface PersistentObject {

    /** The object's bookkeeping, or {@code null} while it belongs to no connection. */
    ObjectState $jodbState();

    void $jodbState(ObjectState state);
}
