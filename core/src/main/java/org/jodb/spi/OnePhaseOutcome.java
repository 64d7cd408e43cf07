package org.jodb.spi;

/**
 * What {@link StorageTransaction#voteAndFinish()} tells its caller: what {@link StorageTransaction#vote()} and
 * {@link StorageTransaction#finish()} would have told it, from one call.
 *
 * @param tid          the committed transaction's tid (what finish returns)
 * @param resolvedOids the oids whose stored bytes a resolver's merge replaced (what vote returns): the caller
 *                     must reload them
 */
public record OnePhaseOutcome(long tid, long[] resolvedOids) {
    public OnePhaseOutcome {
        resolvedOids = resolvedOids.clone();
    }

    @Override
    public long[] resolvedOids() {
        return resolvedOids.clone();
    }
}
