package org.jodb.spi;

import java.util.List;

/**
 * The {@link StorageView} of a storage that implements none of its own, built on {@link Storage#lastTid()},
 * {@link Storage#transactionsAfter(long)}, {@link Storage#loadAt(long, long)} and
 * {@link Storage#loadAllAt(long[], long)}. It holds nothing in the
 * storage: closing it only makes its later calls fail.
 */
final class DefaultStorageView implements StorageView {
    private final Storage storage;
    /** Whether the snapshot was given at open and never moves. */
    private final boolean fixed;
    /** Volatile: read by other threads (a database's pack), written by the view's own. */
    private volatile long snapshot;
    private volatile boolean closed;

    DefaultStorageView(Storage storage, long snapshot, boolean fixed) {
        this.storage = storage;
        this.snapshot = snapshot;
        this.fixed = fixed;
    }

    @Override
    public long snapshotTid() {
        return snapshot;
    }

    @Override
    public Changes poll() {
        checkOpen();
        if (fixed) {
            return Changes.none(snapshot);
        }
        long from = snapshot;
        List<CommittedTransaction> after = storage.transactionsAfter(from);
        long to = from;
        for (CommittedTransaction t : after) {
            to = Math.max(to, t.tid());
        }
        Changes changes = new Changes(to, after, true);
        snapshot = to;
        return changes;
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
    }
}
