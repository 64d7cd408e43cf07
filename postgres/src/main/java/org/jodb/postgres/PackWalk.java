package org.jodb.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jodb.spi.ReferenceFinder;

/**
 * A pack's walk, its state kept on the server: a temporary table of the oids reached, each with its place in
 * the queue of oids still to walk. The walk takes the next batch of places after the last one walked, reads
 * the revisions of those oids a snapshot at or after the pack tid can read, and adds the oids they refer to
 * at the end of the queue. The client holds one batch of records and their references at a time, whatever
 * the size of the store.
 *
 * <p>The table is temporary (in the connection's own {@code pg_temp} schema): a role needs no privilege on the
 * storage's schema to create it, only {@code TEMPORARY} on the database, which PostgreSQL grants to everyone
 * by default; two packs on two connections cannot meet in it; and the server drops it when the connection
 * ends, so a pack whose process or connection died leaves nothing behind. {@link #drop} removes it as soon
 * as the pack ends; {@link #create} replaces one a failed drop left on a pooled connection.
 *
 * <p>Not thread-safe: one pack, on one connection.
 */
final class PackWalk {
    /** The table's name; in {@code pg_temp}, so that a table of the storage's schema can never be meant. */
    static final String TABLE = "pg_temp.jodb_pack_walk";

    private final Connection c;
    private final String objects;
    private final ReferenceFinder references;
    private final long packTid;
    private final int batch;
    /** The place of the last oid walked: every oid at a greater place is still to walk. */
    private long walkedThrough;

    private PackWalk(Connection c, String schema, ReferenceFinder references, long packTid, int batch) {
        this.c = c;
        this.objects = schema + ".object_state";
        this.references = references;
        this.packTid = packTid;
        this.batch = batch;
    }

    /**
     * Creates the walk's table on {@code c} (replacing one left there), empty. {@code schema} is the storage's
     * quoted schema name; the walk follows the revisions readable at or after {@code packTid}, {@code batch}
     * oids per statement.
     */
    static PackWalk create(Connection c, String schema, ReferenceFinder references, long packTid, int batch)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            // the planner expects few rows to pass the filter of the search for unreached objects, so it
            // estimates a scan of most of object_state, costly enough to compile, which costs more than it runs
            // (it stops at its batch)
            s.execute("SET jit = off");
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            // the place is an identity: an oid added or queued again gets a place after every one there is
            s.execute("CREATE TEMPORARY TABLE jodb_pack_walk (oid bigint PRIMARY KEY,"
                    + " place bigint GENERATED ALWAYS AS IDENTITY)");
            s.execute("CREATE INDEX jodb_pack_walk_by_place ON " + TABLE + " (place)");
        }
        return new PackWalk(c, schema, references, packTid, batch);
    }

    /** Marks {@code oids} reached, queueing those not reached yet. */
    void add(List<Long> oids) throws SQLException {
        if (oids.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE + " (oid)"
                + " SELECT DISTINCT unnest(?::bigint[]) ON CONFLICT (oid) DO NOTHING")) {
            s.setArray(1, c.createArrayOf("bigint", oids.toArray()));
            s.executeUpdate();
        }
    }

    /**
     * Queues every object with a revision after {@code tid} to be walked (again, if it was walked before a
     * commit gave it that revision, which may refer to objects the walk has not reached).
     */
    void addWrittenAfter(long tid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE + " (oid)"
                + " SELECT DISTINCT oid FROM " + objects + " WHERE tid > ?"
                + " ON CONFLICT (oid) DO UPDATE SET place = DEFAULT")) {
            s.setLong(1, tid);
            s.executeUpdate();
        }
    }

    /** Walks every queued oid and everything it leads to; returns when the queue is empty. */
    void walk() throws SQLException {
        // LATERAL: one probe of the primary key per oid of the batch, never a scan of object_state
        try (PreparedStatement s = c.prepareStatement("SELECT w.place, r.data FROM (SELECT oid, place FROM "
                + TABLE + " WHERE place > ? ORDER BY place LIMIT ?) w LEFT JOIN LATERAL (SELECT s.data FROM "
                + objects + " s WHERE s.oid = w.oid AND s.tid >= coalesce((SELECT max(p.tid) FROM " + objects
                + " p WHERE p.oid = w.oid AND p.tid <= ?), 0)) r ON true")) {
            while (true) {
                s.setLong(1, walkedThrough);
                s.setInt(2, batch);
                s.setLong(3, packTid);
                List<Long> found = new ArrayList<>();
                long last = walkedThrough;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        last = Math.max(last, rs.getLong(1));
                        byte[] data = rs.getBytes(2);
                        if (data != null) {
                            references.references(data, found::add);
                        }
                    }
                }
                if (last == walkedThrough) {
                    return;
                }
                add(found);
                walkedThrough = last;
            }
        }
    }

    /**
     * Up to {@code max} oids above {@code afterOid}, in order, with a revision at or before {@code tid},
     * that the walk did not reach.
     */
    List<Long> unreached(long afterOid, long tid, int max) throws SQLException {
        // the scalar subquery is one probe of the walk's key per oid (an anti-join could hash the whole table)
        try (PreparedStatement s = c.prepareStatement("SELECT s.oid FROM " + objects + " s WHERE s.oid > ?"
                + " AND s.tid <= ? AND (SELECT w.oid FROM " + TABLE + " w WHERE w.oid = s.oid) IS NULL"
                + " GROUP BY s.oid ORDER BY s.oid LIMIT ?")) {
            s.setLong(1, afterOid);
            s.setLong(2, tid);
            s.setInt(3, max);
            List<Long> oids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    oids.add(rs.getLong(1));
                }
            }
            return oids;
        }
    }

    /** Deletes every revision of those of {@code oids} the walk has not reached; returns the oids deleted. */
    List<Long> deleteUnreached(List<Long> oids) throws SQLException {
        List<Long> gone = new ArrayList<>();
        if (oids.isEmpty()) {
            return gone;
        }
        try (PreparedStatement s = c.prepareStatement("WITH gone AS (DELETE FROM " + objects + " s"
                + " WHERE s.oid = ANY(?::bigint[]) AND (SELECT w.oid FROM " + TABLE + " w WHERE w.oid = s.oid)"
                + " IS NULL RETURNING s.oid) SELECT DISTINCT oid FROM gone ORDER BY oid")) {
            Array array = c.createArrayOf("bigint", oids.toArray());
            s.setArray(1, array);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    gone.add(rs.getLong(1));
                }
            }
        }
        return gone;
    }

    /** Drops the table, and gives the connection back its setting of {@code jit}. */
    void drop() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("RESET jit");
        }
    }

    /**
     * Drops the table after {@code failure} ended the pack, and adds to it any failure to do so (on a lost
     * connection the server has dropped the table already).
     */
    void dropAfter(Throwable failure) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            drop();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
