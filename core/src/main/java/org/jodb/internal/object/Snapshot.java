package org.jodb.internal.object;

import org.jodb.spi.Changes;
import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Revision;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageView;

/**
 * The committed state one session reads, through its {@link StorageView}: every load reads as of one tid,
 * fixed at each transaction boundary of the session's manager (begin, commit, abort, sync); a savepoint is
 * not a boundary. At a boundary the snapshot moves to the newest commit, and the objects others committed
 * since become ghosts ({@link #poll}). A historical session's snapshot never moves, and it refuses to commit.
 *
 * <p>Used by the session's thread; {@link #tid()} also by a database's pack on another thread.
 */
final class Snapshot {
    private final StorageView view;
    private final String storageName;
    private final boolean historical;
    private final ObjectCache cache;
    private final Ghosts ghosts;
    private final TransferCounter transfers;
    /** The tid of this session's last commit: its own writes need no invalidation. */
    private long ownTid = -1;
    /**
     * Whether applying other transactions' commits at the last transaction boundary failed (the storage
     * closed itself, say): the poll is retried, and its failure thrown, at the session's next use.
     */
    private boolean pollPending;

    Snapshot(StorageView view, String storageName, boolean historical, ObjectCache cache, Ghosts ghosts,
            TransferCounter transfers) {
        this.transfers = transfers;
        this.view = view;
        this.storageName = storageName;
        this.historical = historical;
        this.cache = cache;
        this.ghosts = ghosts;
    }

    /**
     * The tid this session reads at, for {@code Database.pack} on another thread too. Between transactions as
     * well: the next transaction of an implicit-mode manager, and reads outside one in explicit mode, read at
     * the snapshot fixed when the last one ended. Only grows.
     */
    long tid() {
        return view.snapshotTid();
    }

    boolean isHistorical() {
        return historical;
    }

    /**
     * The revision of {@code oid} in this snapshot, or null. A historical session whose snapshot a pack passed
     * (one run after it was opened, or on the storage directly) is told so: its snapshot never moves, so the
     * storage's advice to start a new transaction cannot help it.
     */
    Revision load(long oid) {
        transfers.loaded();
        try {
            return view.load(oid);
        } catch (StorageException e) {
            throw explained(e);
        }
    }

    /**
     * The revisions of {@code oids} in this snapshot, in that order, null for an object that did not exist
     * in it: one storage call, counted as one load per oid once it has answered. When it fails, nothing is
     * returned (and nothing counted): the caller fills all of the objects or none.
     */
    Revision[] loadAll(long[] oids) {
        Revision[] found;
        try {
            found = view.loadAll(oids);
        } catch (StorageException e) {
            throw explained(e);
        }
        transfers.loaded(oids.length);
        return found;
    }

    /**
     * {@code e}, or for a historical session whose snapshot a pack passed, a failure that says so: its
     * snapshot never moves, so the storage's advice to start a new transaction cannot help it.
     */
    private StorageException explained(StorageException e) {
        long oldest;
        long tid = view.snapshotTid();
        if (!historical || e instanceof CorruptStorageException || tid >= (oldest = view.oldestSnapshot())) {
            return e;
        }
        return new StorageException("this historical connection reads as of tid " + tid + ", which a"
                + " pack has since passed: the oldest snapshot storage " + storageName + " keeps is tid "
                + oldest + ", and the revisions of tid " + tid + " are gone. Its snapshot never moves:"
                + " close it, and open one at tid " + oldest + " or later (Database.openAt), or a current one"
                + " (Database.open).",
                e);
    }

    /** This session committed transaction {@code tid}: the next poll need not ghost what it wrote. */
    void committedOwn(long tid) {
        ownTid = tid;
    }

    /**
     * Moves to the newest commit: the unchanged loaded objects that others committed since become ghosts.
     * Changed ones are the caller's to settle first (they belong to a transaction, or are dropped at the
     * boundary): an invalidation skipped here would be lost for good once the snapshot has moved past it.
     */
    void poll() {
        if (historical) {
            return;
        }
        Changes changes = view.poll();
        if (!changes.known()) {
            for (PersistentObject p : cache.all()) {
                ObjectState s = p.$jodbState();
                if (s != null && s.status == ObjectStatus.CLEAN) {
                    ghosts.invalidate(s);
                }
            }
            return;
        }
        for (CommittedTransaction t : changes.transactions()) {
            if (t.tid() != ownTid) {
                for (long oid : t.oids()) {
                    PersistentObject p = cache.get(oid);
                    ObjectState s = p == null ? null : p.$jodbState();
                    if (s != null && s.status == ObjectStatus.CLEAN) {
                        ghosts.invalidate(s);
                    }
                }
            }
        }
    }

    /**
     * {@link #poll} at a transaction boundary. The boundary itself cannot fail: the transaction has ended (an
     * abort after a commit that broke the storage must still abort, and the manager's other data managers
     * must still get their next transaction), so a failing storage is asked again, and its failure thrown, at
     * the session's next use ({@link #retryFailedPoll}).
     */
    void pollAtBoundary() {
        try {
            poll();
            pollPending = false;
        } catch (RuntimeException e) {
            pollPending = true;
        }
    }

    /** Polls again if the last boundary's poll failed; throws the storage's failure while there is one. */
    void retryFailedPoll() {
        if (pollPending) {
            poll();
            pollPending = false;
        }
    }

    /** The session is dropped for good: its view is closed. */
    void close() {
        view.close();
    }
}
