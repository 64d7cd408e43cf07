package org.jodb.postgres;

import org.jodb.spi.Changes;
import org.jodb.spi.SnapshotView;

/**
 * One connection's view of a {@link PostgresStorage}: a snapshot tid, loads at it (each in autocommit: no
 * database transaction is held between polls, however long the view sits idle), and polls. A poll answers
 * without a round trip when the storage's listener has been live since this view last asked the server and
 * every commit after the snapshot that the storage knows of is one of its own or was announced with its oids
 * ({@link OwnCommits}: their oids are known in the process; a commit learned another way is waited for a moment,
 * as its notification is usually on its way); otherwise it asks the server once for every transaction after the
 * snapshot, with the oids each wrote.
 */
final class PgView extends SnapshotView {
    /**
     * How long a poll waits for the listener to announce commits it learned of another way (OwnCommits says why)
     * before it asks the server. A notification is usually read within a fraction of a millisecond; a poll costs a
     * round trip and a query, and leaves the record cache without the commit's records.
     */
    static final long ANNOUNCEMENT_WAIT_NANOS = 5_000_000;

    private final PostgresStorage storage;
    /** The listener generation that was live when this view last asked the server; 0 if none was. */
    private long trustedGeneration;

    PgView(PostgresStorage storage, long snapshot, boolean fixed, long trustedGeneration) {
        super(storage, snapshot, fixed);
        this.storage = storage;
        this.trustedGeneration = trustedGeneration;
    }

    @Override
    protected Changes changesAfter(long from) {
        if (!storage.options.pollsAskTheServer() && trustedGeneration != 0
                && storage.listenerGeneration() == trustedGeneration) {
            Changes own = storage.ownCommits.since(from, ANNOUNCEMENT_WAIT_NANOS);
            if (own != null) {
                return own;
            }
        }
        long generation = storage.listenerGeneration();
        Reads.After after = storage.run("poll for commits", c -> storage.reads.transactionsAfter(c, from));
        long to = after.newestTid(from);
        storage.observed(to);
        trustedGeneration = generation;
        if (from < after.packedBefore()) {
            return Changes.unknown(to); // a pack may have dropped transactions this view did not see
        }
        return new Changes(to, after.transactions(), true);
    }

    /** A view of a closed storage is closed too. */
    @Override
    protected void checkUsable() {
        storage.checkOpen();
    }
}
