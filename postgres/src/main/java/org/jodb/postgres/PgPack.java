package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Storage;

/**
 * One pack, in batches, while other processes read and commit. The commit lock is taken only for the short
 * steps that must not race a commit (each batch of removed objects, the removal of empty transactions), never
 * for the whole pack:
 * <ol>
 *   <li>the pack lock (one pack at a time) and {@code packed_before} raised to the pack tid, so that reads at
 *       older snapshots fail from now on instead of reading half-removed history;</li>
 *   <li>the walk, without the commit lock: from the root, from every object written after the pack tid and
 *       from every pinned record, through every revision a snapshot at or after the pack tid can read; its
 *       state (the oids reached, the queue of those still to walk) is a table on the server
 *       ({@link PackWalk}), so that the client's memory does not grow with the store;</li>
 *   <li>old revisions (older than each object's revision current at the pack tid) deleted by oid range,
 *       without the commit lock: commits only add newer revisions, which change nothing of this;</li>
 *   <li>objects the walk did not reach deleted a batch at a time, each batch found without the commit lock
 *       and deleted under it after the walk has been extended through what was committed since (a commit may
 *       have linked one again), their oids kept in {@code removed_objects} in the same database transaction
 *       (from then on a vote that names its references, as every storage a {@code Database} uses does, is refused
 *       a reference to one);</li>
 *   <li>under the commit lock, the transactions up to the pack tid that keep no revision deleted, but the
 *       newest.</li>
 * </ol>
 * The walk's table is dropped when the pack ends, also when it fails.
 */
final class PgPack {
    private static final int BATCH = 1_000;
    private static final long OID_RANGE = 10_000;

    private final PostgresStorage storage;
    private final ReferenceFinder references;

    PgPack(PostgresStorage storage, ReferenceFinder references) {
        this.storage = storage;
        this.references = references;
    }

    /** Packs to {@code packTid}; returns the oids it removed. */
    long[] run(long packTid) {
        return storage.run("pack", c -> {
            lockPack(c, "pg_advisory_lock");
            try {
                return pack(c, packTid);
            } finally {
                lockPack(c, "pg_advisory_unlock");
            }
        });
    }

    private long[] pack(Connection c, long requestedTid) throws SQLException {
        long walkTid = storage.reads.lastTid(c);
        long packTid = Math.min(requestedTid, walkTid);
        if (packTid <= Storage.NO_TID) {
            return new long[0];
        }
        try (PreparedStatement s = c.prepareStatement(storage.sql.raisePackedBefore)) {
            s.setLong(1, packTid);
            s.executeUpdate();
        }
        PackWalk walk = PackWalk.create(c, storage.sql.schema, references, packTid, BATCH);
        long[] removed;
        try {
            addRoots(c, walk, packTid);
            walk.walk();
            deleteOldRevisions(c, packTid);
            removed = deleteUnreached(c, walk, walkTid, packTid);
        } catch (SQLException | RuntimeException | Error e) {
            walk.dropAfter(e);
            throw e;
        }
        walk.drop();
        return removed;
    }

    private void lockPack(Connection c, String function) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + function + "(?)")) {
            s.setLong(1, storage.keys.pack());
            s.execute();
        }
    }

    /** Adds the root, every object written after packTid, and every object whose newest record is pinned. */
    private void addRoots(Connection c, PackWalk walk, long packTid) throws SQLException {
        List<Long> roots = new ArrayList<>();
        roots.add(Storage.ROOT_OID);
        c.setAutoCommit(false); // a cursor: the newest records stream through, a few hundred at a time
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT ON (oid) oid, tid, data FROM "
                + storage.sql.schema + ".object_state ORDER BY oid, tid DESC")) {
            s.setFetchSize(200);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(2) > packTid || references.pinned(rs.getBytes(3))) {
                        roots.add(rs.getLong(1));
                        if (roots.size() == BATCH) {
                            walk.add(roots);
                            roots.clear();
                        }
                    }
                }
            }
            walk.add(roots);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Deletes the objects with a revision up to walkTid that the walk did not reach, a batch per database
     * transaction under the commit lock, the walk extended first through what was committed since it last
     * looked; with the last batch, the transactions that keep no revision. Returns the oids removed.
     */
    private long[] deleteUnreached(Connection c, PackWalk walk, long walkTid, long packTid) throws SQLException {
        List<Long> removed = new ArrayList<>();
        long checkedTid = walkTid;
        long afterOid = Long.MIN_VALUE;
        while (true) {
            List<Long> batch = walk.unreached(afterOid, walkTid, BATCH);
            boolean last = batch.size() < BATCH;
            c.setAutoCommit(false);
            List<Long> gone;
            try {
                storage.commitLock(c);
                long now = storage.reads.lastTid(c);
                if (now > checkedTid) {
                    walk.addWrittenAfter(checkedTid);
                    walk.walk();
                    checkedTid = now;
                }
                gone = walk.deleteUnreached(batch);
                recordRemoved(c, gone, packTid);
                if (last) {
                    dropEmptyTransactions(c, packTid);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            removed.addAll(gone);
            if (last) {
                return Reads.toArray(removed);
            }
            afterOid = batch.get(batch.size() - 1);
        }
    }

    /**
     * Keeps the oids of a batch it removed in {@code removed_objects}, in the database transaction that removes
     * them (under the commit lock): from its commit on, a vote that names its references is refused a reference to
     * one, in every process.
     */
    private void recordRemoved(Connection c, List<Long> gone, long packTid) throws SQLException {
        if (gone.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(storage.sql.recordRemoved)) {
            s.setLong(1, packTid);
            s.setArray(2, SqlArrays.of(c, "bigint", Reads.toArray(gone)));
            s.executeUpdate();
        }
    }

    private void deleteOldRevisions(Connection c, long packTid) throws SQLException {
        long low;
        long high;
        try (PreparedStatement s = c.prepareStatement("SELECT coalesce(min(oid), 0), coalesce(max(oid), -1) FROM "
                + storage.sql.schema + ".object_state"); ResultSet rs = s.executeQuery()) {
            rs.next();
            low = rs.getLong(1);
            high = rs.getLong(2);
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + storage.sql.schema + ".object_state s"
                + " WHERE s.oid >= ? AND s.oid < ? AND s.tid < (SELECT max(p.tid) FROM " + storage.sql.schema
                + ".object_state p WHERE p.oid = s.oid AND p.tid <= ?)")) {
            for (long from = low; from <= high; from += OID_RANGE) {
                s.setLong(1, from);
                s.setLong(2, from + OID_RANGE);
                s.setLong(3, packTid);
                s.executeUpdate();
            }
        }
    }

    private void dropEmptyTransactions(Connection c, long packTid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + storage.sql.schema + ".transactions t"
                + " WHERE t.tid <= ? AND t.tid < (SELECT max(tid) FROM " + storage.sql.schema + ".transactions)"
                + " AND NOT EXISTS (SELECT 1 FROM " + storage.sql.schema + ".object_state s WHERE s.tid = t.tid)")) {
            s.setLong(1, packTid);
            s.executeUpdate();
        }
    }
}
