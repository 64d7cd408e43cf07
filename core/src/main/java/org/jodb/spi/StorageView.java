package org.jodb.spi;

/**
 * What one connection needs from a storage, transaction after transaction: a snapshot, what changed since
 * the previous one, and loads at it. A connection opens one view ({@link Storage#openView()}) and keeps it
 * for its life; a read-only connection fixed in the past opens one at a tid ({@link Storage#openView(long)}).
 *
 * <h2>What each call promises</h2>
 * <ul>
 *   <li>{@link #snapshotTid()} names one consistent committed state. It changes only in {@link #poll()}, and
 *       only forwards: every {@link #load} between two polls reads the same state, however many
 *       transactions commit meanwhile, in this process or another.</li>
 *   <li>{@link #poll()} moves the snapshot to the newest committed state and reports every object written
 *       by a transaction committed after the old snapshot, up to and including the new one, so that the
 *       caller can drop what it cached of them. It may report more than changed (a transaction of the
 *       caller's own), never less: a cache kept across polls is only correct if no change goes unreported.
 *       When the storage can no longer tell (it keeps commit records for a limited time, say), it answers
 *       {@link Changes#unknown} and the caller drops everything.</li>
 *   <li>{@link #load} reads at the snapshot, with the meaning and errors of {@link Storage#loadAt}, and
 *       {@link #loadAll} reads many objects at it in one call, with those of {@link Storage#loadAllAt}.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * A view serves one thread at a time (the connection's). Only {@link #snapshotTid()} may be read from any
 * thread, at any time: a database's pack reads the snapshots of its open connections to keep what they read;
 * a value read on another thread is at most older than the current one. {@link #close()} may come from
 * another thread (a database closing) and makes the view's later calls fail.
 *
 * <h2>A storage shared by several processes</h2>
 * The snapshot must include every transaction committed by any process up to its tid, and none after it:
 * tids must order commits across processes. {@link #poll()} must report the other processes' commits too (an
 * in-process notification is not enough): a view learns of them at its poll, not before (its snapshot does not
 * move between polls) and not later (a commit whose finish returned, in any process, before the poll began is
 * in the new snapshot). A notification from the server may spare the poll a query when nothing changed, but
 * the poll may not rely on it alone: a lost notification must not hide a commit. A commit visible to one
 * process's poll must be visible to the loads of every view whose snapshot is at or after its tid. Such a
 * storage may hold resources per view (a database session, a listened-to channel); it must not hold a
 * database transaction open between polls, since a view may sit idle for hours. A view must stay usable when
 * the storage's connection to the server is lost and comes back: a failed call throws {@link StorageException}
 * and leaves the snapshot as it was, so the next poll reports everything since.
 *
 * <h2>Errors</h2>
 * {@link StorageException} when the storage fails (the snapshot is then unchanged); {@link IllegalStateException}
 * once the view or its storage is closed.
 */
public interface StorageView extends AutoCloseable {

    /** The tid of the committed state this view reads; {@link Storage#NO_TID} for an empty storage. */
    long snapshotTid();

    /**
     * Moves the snapshot to the newest committed state (a view opened at a tid never moves: it answers
     * {@link Changes#none} for its own tid) and returns what changed between the two snapshots.
     *
     * @throws StorageException when the storage cannot be read; the snapshot is unchanged
     * @throws IllegalStateException once the view is closed
     */
    Changes poll();

    /**
     * The revision of {@code oid} current at {@link #snapshotTid()}; {@code null} when the object did not exist
     * then.
     *
     * @throws StorageException when pack removed the revision this snapshot needs ({@link #oldestSnapshot()}
     *         is then newer than the snapshot), or the storage fails
     * @throws IllegalStateException once the view is closed
     */
    Revision load(long oid);

    /**
     * The revisions of {@code oids} current at {@link #snapshotTid()}, in one call: what {@link #load} answers
     * for each, in the order asked, with the contract of {@link Storage#loadAllAt} (a {@code null} for an
     * object that did not exist then; one failing oid fails the whole call, naming it). This default asks
     * {@link #load} for each oid in turn; a view whose storage can do better (one round trip, reads in the
     * order of its files) overrides it.
     *
     * @throws StorageException when one of the loads fails: its oid is named, no revision is returned
     * @throws IllegalStateException once the view is closed
     */
    default Revision[] loadAll(long[] oids) {
        return BatchLoads.oneByOne(oids, this::load);
    }

    /**
     * The oldest snapshot the storage still serves ({@link Storage#oldestSnapshot()}): a view whose snapshot is
     * older fails its loads, and only a newer snapshot helps.
     */
    long oldestSnapshot();

    /** Releases what the view holds; later calls other than this and {@link #snapshotTid()} fail. Idempotent. */
    @Override
    void close();
}
