package org.jodb.postgres;

import org.jodb.spi.Changes;
import org.jodb.spi.Revision;
import org.jodb.spi.StorageView;

/**
 * One connection's view of a {@link PostgresStorage}: a snapshot tid, loads at it (each in autocommit: no
 * database transaction is held between polls, however long the view sits idle), and polls. A poll answers
 * without a round trip when the storage's listener has been live since this view last asked the server and
 * every commit after the snapshot that the storage knows of is one of its own ({@link OwnCommits}: their oids
 * are known in the process); otherwise it asks the server once for every transaction after the snapshot, with
 * the oids each wrote.
 */
final class PgView implements StorageView {
    private final PostgresStorage storage;
    private final boolean fixed;
    private volatile long snapshot;
    /** The listener generation that was live when this view last asked the server; 0 if none was. */
    private long trustedGeneration;
    private volatile boolean closed;

    PgView(PostgresStorage storage, long snapshot, boolean fixed, long trustedGeneration) {
        this.storage = storage;
        this.snapshot = snapshot;
        this.fixed = fixed;
        this.trustedGeneration = trustedGeneration;
    }

    @Override
    public long snapshotTid() {
        return snapshot;
    }

    @Override
    public Changes poll() {
        checkOpen();
        long from = snapshot;
        if (fixed) {
            return Changes.none(from);
        }
        if (!storage.options.pollsAskTheServer() && trustedGeneration != 0
                && storage.listenerGeneration() == trustedGeneration) {
            Changes own = storage.ownCommits.since(from);
            if (own != null) {
                snapshot = own.snapshotTid();
                return own;
            }
        }
        long generation = storage.listenerGeneration();
        Reads.After after = storage.run("poll for commits", c -> storage.reads.transactionsAfter(c, from));
        long to = after.newestTid(from);
        storage.observed(to);
        trustedGeneration = generation;
        snapshot = to;
        if (from < after.packedBefore()) {
            return Changes.unknown(to); // a pack may have dropped transactions this view did not see
        }
        return new Changes(to, after.transactions(), true);
    }

    @Override
    public Revision load(long oid) {
        checkOpen();
        return storage.loadAt(oid, snapshot);
    }

    @Override
    public Revision[] loadAll(long[] oids) {
        checkOpen();
        return storage.loadAllAt(oids, snapshot);
    }

    @Override
    public long oldestSnapshot() {
        checkOpen();
        return storage.oldestSnapshot();
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this view of storage " + storage.name() + " (snapshot tid " + snapshot
                    + ") is closed; open a new one with Storage.openView()");
        }
        storage.checkOpen();
    }
}
