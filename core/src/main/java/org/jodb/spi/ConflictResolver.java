package org.jodb.spi;

/**
 * Merges a write with a revision committed after the writer's snapshot, like ZODB's
 * {@code _p_resolveConflict}. Called by the storage during {@link StorageTransaction#vote()}, while it
 * holds its commit lock: it must be quick and must not call back into the storage.
 */
@FunctionalInterface
public interface ConflictResolver {

    /** Never resolves. */
    ConflictResolver NONE = (oid, oldState, committedState, newState) -> null;

    /**
     * @param oldState       the revision the writer read (its serial), or {@code null} if that revision is gone
     * @param committedState the current committed revision
     * @param newState       what the writer wants to store
     * @return the merged bytes to store instead, or {@code null} when the conflict cannot be resolved
     */
    byte[] resolve(long oid, byte[] oldState, byte[] committedState, byte[] newState);
}
