package org.jodb.spi;

/**
 * The part of a {@link StorageView} that every storage's view shares: a snapshot tid, loads at it through the
 * storage's {@link Storage#loadAt(long, long)} and {@link Storage#loadAllAt(long[], long)}, a fixed view's
 * polls that find nothing, and a close after which every call fails with a message naming the remedy. A
 * storage says only how a poll learns what was committed after the snapshot ({@link #changesAfter}), and may
 * add a check of its own to every call ({@link #checkUsable}). It holds nothing in the storage.
 *
 * <p>Used by one connection's thread; {@link #snapshotTid()} may be read by others (a database's pack asks
 * for the oldest snapshot in use), hence the volatile snapshot.
 */
public abstract class SnapshotView implements StorageView {
    private final Storage storage;
    /** Whether the snapshot was given at open and never moves. */
    private final boolean fixed;
    private volatile long snapshot;
    private volatile boolean closed;

    protected SnapshotView(Storage storage, long snapshot, boolean fixed) {
        this.storage = storage;
        this.snapshot = snapshot;
        this.fixed = fixed;
    }

    /**
     * What was committed after {@code from} (this view's snapshot), and the snapshot to move to: called by
     * {@link #poll()} on a view that is open and not fixed.
     */
    protected abstract Changes changesAfter(long from);

    /** A check every call makes after the view's own (the storage is open, ...); none by default. */
    protected void checkUsable() {
    }

    @Override
    public final long snapshotTid() {
        return snapshot;
    }

    @Override
    public final Changes poll() {
        checkOpen();
        if (fixed) {
            return Changes.none(snapshot);
        }
        Changes changes = changesAfter(snapshot);
        snapshot = changes.snapshotTid();
        return changes;
    }

    @Override
    public final Revision load(long oid) {
        checkOpen();
        return storage.loadAt(oid, snapshot);
    }

    @Override
    public final Revision[] loadAll(long[] oids) {
        checkOpen();
        return storage.loadAllAt(oids, snapshot);
    }

    @Override
    public final long oldestSnapshot() {
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
        checkUsable();
    }
}
