package org.jodb.internal.object;

/**
 * Implemented by a persistent class whose concurrent writes can be merged instead of failing with a
 * {@code ConflictException} (ZODB's {@code _p_resolveConflict}): a map's entries, a B-tree bucket, a size
 * counter. {@link MapConflictResolver} decodes the three states of a record that two transactions wrote
 * (the one both started from, the one committed meanwhile, and the committing transaction's own) into
 * three instances of the class and asks the committed one to take in the committing transaction's change.
 *
 * <p>The instances have no connection: persistent objects they reference are inert ghosts (one instance
 * per oid, so references compare by identity) that refuse to load. A merge reads only the decoded fields.
 * Internal to jodb (the name starts with {@code $jodb}); application code never calls it.
 */
public interface MergeableState {

    /**
     * Applies to this instance, the committed state, what the committing transaction changed from
     * {@code oldState} to {@code myState}; both are instances of exactly this class. Returns false, leaving
     * this instance in any state, when the two changes cannot be merged safely: the committing transaction
     * then gets a {@code ConflictException}, which is always safe.
     */
    boolean $jodbMerge(Object oldState, Object myState);
}
