package org.jodb.internal.object;

/**
 * Where a persistent object stands with respect to its record (ZODB's {@code _p_state}).
 *
 * <pre>
 *   UNSAVED --(reachable at savepoint/commit: oid assigned)--> TOUCHED
 *   GHOST   --(first method call: state loaded)-------------> TOUCHED
 *   GHOST   --(while its record is read into it)------------> LOADING --> CLEAN (GHOST if the read fails)
 *   CLEAN   --(first method call in a transaction)----------> TOUCHED
 *   TOUCHED --(savepoint or commit wrote or compared it)----> CLEAN
 *   CLEAN   --(cache eviction, invalidation, abort)---------> GHOST
 *   any     --(abort, or rollback past its creation)--------> disowned (no state: a plain object again)
 * </pre>
 */
public enum ObjectStatus {
    /** Belongs to a connection but has no oid yet: not reachable from stored state so far. */
    UNSAVED,
    /** Has an oid; its fields are not loaded (or are stale) and load on the next method call. */
    GHOST,
    /** Loaded; equal to its last saved bytes as far as jodb knows. */
    CLEAN,
    /** A method ran on it since its bytes were last saved or compared: it may have changed. */
    TOUCHED,
    /**
     * Its record is being read into it. A method called on it meanwhile (its {@code hashCode}, when a
     * hash set or map of another object being read holds it) runs on the fields read so far instead of
     * loading it again, which would never end (ZODB's persistent does the same).
     */
    LOADING
}
