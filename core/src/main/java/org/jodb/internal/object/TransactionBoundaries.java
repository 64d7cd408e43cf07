package org.jodb.internal.object;

import org.jodb.transaction.Synchronizer;
import org.jodb.transaction.Transaction;

/**
 * What a session does when its manager begins or ends a transaction (the synchronizer it registers): objects
 * used outside a transaction are settled, the snapshot moves to the newest commit, and the cache shrinks to
 * its target. A session in a transaction (joined) is left alone: its snapshot stays fixed until it ends.
 */
final class TransactionBoundaries implements Synchronizer {
    private final SessionLife life;
    private final ChangeTracker changes;
    private final SessionDataManager commit;
    private final Snapshot snapshot;
    private final ObjectCache cache;
    private final Ghosts ghosts;
    private final DatabaseCounters counters;
    /** The cache's loaded objects at the last boundary, read by other threads for the database's statistics. */
    private volatile int loadedAtBoundary;

    TransactionBoundaries(SessionLife life, ChangeTracker changes, SessionDataManager commit, Snapshot snapshot,
            ObjectCache cache, Ghosts ghosts, DatabaseCounters counters) {
        this.life = life;
        this.changes = changes;
        this.commit = commit;
        this.snapshot = snapshot;
        this.cache = cache;
        this.ghosts = ghosts;
        this.counters = counters;
    }

    /** For the manager's logs, which name a synchronizer that failed. */
    @Override
    public String toString() {
        return "boundaries of " + commit;
    }

    @Override
    public void newTransaction(Transaction txn) {
        if (!life.isClosed() && changes.joined() == null) {
            changes.settleOutside(commit::discard);
            snapshot.pollAtBoundary();
        }
        loadedAtBoundary = cache.loadedCount();
    }

    @Override
    public void afterCompletion(Transaction txn) {
        if (changes.joined() == txn) {
            commit.discard(); // a commit that failed and was not aborted yet leaves nothing behind either
        }
        if (!life.isClosed() && changes.joined() == null) {
            snapshot.pollAtBoundary();
            cache.gc(ghosts::unload);
        }
        loadedAtBoundary = cache.loadedCount();
    }

    @Override
    public void attemptFailed(Transaction txn, Throwable failure, boolean retryable, boolean retrying) {
        if (changes.tookPartIn(txn)) {
            counters.attemptFailed(txn, retryable, retrying);
        }
    }

    /** How many loaded objects the cache held at the last transaction boundary. */
    int loadedAtBoundary() {
        return loadedAtBoundary;
    }
}
