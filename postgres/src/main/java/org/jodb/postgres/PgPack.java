package org.jodb.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 *       from every pinned record, through every revision a snapshot at or after the pack tid can read;</li>
 *   <li>old revisions (older than each object's revision current at the pack tid) deleted by oid range,
 *       without the commit lock: commits only add newer revisions, which change nothing of this;</li>
 *   <li>objects the walk did not reach deleted a batch at a time, each batch under the commit lock after the
 *       walk has been extended through what was committed since (a commit may have linked one again);</li>
 *   <li>under the commit lock, the transactions up to the pack tid that keep no revision deleted, but the
 *       newest.</li>
 * </ol>
 */
final class PgPack {
    private static final int BATCH = 1_000;
    private static final long OID_RANGE = 10_000;

    private final PostgresStorage storage;
    private final ReferenceFinder references;
    private final Set<Long> reached = new HashSet<>();

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
        reach(c, roots(c, packTid), packTid);
        deleteOldRevisions(c, packTid);
        List<Long> unreached = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT oid FROM " + storage.sql.schema
                + ".object_state WHERE tid <= ?")) {
            s.setLong(1, walkTid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (!reached.contains(rs.getLong(1))) {
                        unreached.add(rs.getLong(1));
                    }
                }
            }
        }
        List<Long> removed = new ArrayList<>();
        long checkedTid = walkTid;
        for (int from = 0; from < unreached.size() || from == 0; from += BATCH) {
            List<Long> batch = unreached.subList(Math.min(from, unreached.size()),
                    Math.min(unreached.size(), from + BATCH));
            c.setAutoCommit(false);
            try {
                storage.commitLock(c);
                long now = storage.reads.lastTid(c);
                if (now > checkedTid) {
                    reach(c, writtenAfter(c, checkedTid), packTid);
                    checkedTid = now;
                }
                List<Long> gone = new ArrayList<>();
                for (long oid : batch) {
                    if (!reached.contains(oid)) {
                        gone.add(oid);
                    }
                }
                if (!gone.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM " + storage.sql.schema
                            + ".object_state WHERE oid = ANY(?::bigint[])")) {
                        s.setArray(1, c.createArrayOf("bigint", gone.toArray()));
                        s.executeUpdate();
                    }
                }
                if (from + BATCH >= unreached.size()) {
                    dropEmptyTransactions(c, packTid);
                }
                c.commit();
                removed.addAll(gone);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return Reads.toArray(removed);
    }

    private void lockPack(Connection c, String function) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + function + "(?)")) {
            s.setLong(1, storage.keys.pack());
            s.execute();
        }
    }

    /** The root, every object written after packTid, and every object whose newest record is pinned. */
    private List<Long> roots(Connection c, long packTid) throws SQLException {
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
                    }
                }
            }
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
        return roots;
    }

    private List<Long> writtenAfter(Connection c, long tid) throws SQLException {
        List<Long> oids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT oid FROM " + storage.sql.schema
                + ".object_state WHERE tid > ?")) {
            s.setLong(1, tid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    oids.add(rs.getLong(1));
                }
            }
        }
        return oids;
    }

    /** Marks {@code starts} and everything their revisions readable at or after packTid refer to. */
    private void reach(Connection c, Collection<Long> starts, long packTid) throws SQLException {
        List<Long> todo = new ArrayList<>();
        for (long oid : starts) {
            if (reached.add(oid)) {
                todo.add(oid);
            }
        }
        while (!todo.isEmpty()) {
            List<Long> batch = new ArrayList<>(todo.subList(Math.max(0, todo.size() - BATCH), todo.size()));
            todo.subList(Math.max(0, todo.size() - BATCH), todo.size()).clear();
            try (PreparedStatement s = c.prepareStatement("SELECT s.data FROM " + storage.sql.schema
                    + ".object_state s WHERE s.oid = ANY(?::bigint[]) AND s.tid >= coalesce((SELECT max(p.tid) FROM "
                    + storage.sql.schema + ".object_state p WHERE p.oid = s.oid AND p.tid <= ?), 0)")) {
                Array array = c.createArrayOf("bigint", batch.toArray());
                s.setArray(1, array);
                s.setLong(2, packTid);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        references.references(rs.getBytes(1), ref -> {
                            if (reached.add(ref)) {
                                todo.add(ref);
                            }
                        });
                    }
                }
            }
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
