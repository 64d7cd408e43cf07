package org.jodb.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.Revision;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.StorageException;
import org.jodb.spi.TransactionInfo;

/**
 * The storage's reads, each one statement in autocommit (committed rows never change, so a read at a tid needs
 * no transaction of its own). A read at a snapshot also reads {@code packed_before} in the same statement, so
 * that it fails rather than answer from rows a pack has already removed.
 */
final class Reads {
    /** Oids per statement of a batch load (one array parameter each). */
    static final int BATCH = 10_000;

    private final Sql sql;
    private final String name;

    Reads(Sql sql, String name) {
        this.sql = sql;
        this.name = name;
    }

    long lastTid(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql.maxTid); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long packedBefore(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql.packedBefore); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    Revision loadAt(Connection c, long oid, long tid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql.loadAt)) {
            s.setLong(1, oid);
            s.setLong(2, tid);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                checkSnapshot(tid, rs.getLong(1));
                byte[] data = rs.getBytes(3);
                return data == null ? null : new Revision(oid, rs.getLong(2), data);
            }
        }
    }

    /** {@code Storage.loadAllAt}: one statement per {@link #BATCH} distinct oids. */
    Revision[] loadAllAt(Connection c, long[] oids, long tid) throws SQLException {
        Set<Long> distinct = new LinkedHashSet<>();
        for (long oid : oids) {
            distinct.add(oid);
        }
        Map<Long, Revision> found = new HashMap<>();
        List<Long> all = new ArrayList<>(distinct);
        for (int from = 0; from < all.size(); from += BATCH) {
            List<Long> part = all.subList(from, Math.min(all.size(), from + BATCH));
            long packedBefore = Long.MIN_VALUE;
            try (PreparedStatement s = c.prepareStatement(sql.loadAllAt)) {
                Array array = c.createArrayOf("bigint", part.toArray());
                s.setArray(1, array);
                s.setLong(2, tid);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        packedBefore = rs.getLong(1);
                        long oid = rs.getLong(2);
                        byte[] data = rs.getBytes(4);
                        if (data != null) {
                            found.put(oid, new Revision(oid, rs.getLong(3), data));
                        }
                    }
                }
            }
            if (tid < packedBefore) {
                long named = part.get(0);
                for (long oid : part) {
                    if (!found.containsKey(oid)) {
                        named = oid; // the first whose revision may be one the pack removed
                        break;
                    }
                }
                try {
                    checkSnapshot(tid, packedBefore);
                } catch (StorageException e) {
                    throw new StorageException("cannot load oid " + named + (oids.length > 1 ? " (one of "
                            + oids.length + " in one batch)" : "") + ": " + e.getMessage(), e);
                }
            }
        }
        Revision[] answers = new Revision[oids.length];
        for (int i = 0; i < oids.length; i++) {
            Revision r = found.get(oids[i]);
            answers[i] = r == null ? null : new Revision(r.oid(), r.tid(), r.data().clone());
        }
        return answers;
    }

    /** A read at snapshot {@code tid} fails once a pack passed it (the revision it needs may be gone). */
    void checkSnapshot(long tid, long packedBefore) {
        if (tid < packedBefore) {
            throw new StorageException("snapshot tid " + tid + " is older than the oldest snapshot storage " + name
                    + " keeps (tid " + packedBefore + "): what it reads was removed by pack. Start a new transaction"
                    + " to read a newer snapshot.");
        }
    }

    List<RevisionInfo> history(Connection c, long oid, int max) throws SQLException {
        List<RevisionInfo> result = new ArrayList<>();
        if (max <= 0) {
            return result;
        }
        try (PreparedStatement s = c.prepareStatement(sql.history)) {
            s.setLong(1, oid);
            s.setInt(2, max);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String user = rs.getString(3);
                    String note = rs.getString(4);
                    result.add(new RevisionInfo(rs.getLong(1), rs.getLong(2), user == null ? "" : user,
                            note == null ? "" : note, rs.getInt(5)));
                }
            }
        }
        return result;
    }

    /** The transactions after {@code tid} with their oids, and the {@code packed_before} read with them. */
    record After(List<CommittedTransaction> transactions, long packedBefore) {
        long newestTid(long otherwise) {
            return transactions.isEmpty() ? otherwise : transactions.get(transactions.size() - 1).tid();
        }
    }

    After transactionsAfter(Connection c, long tid) throws SQLException {
        List<CommittedTransaction> result = new ArrayList<>();
        long packedBefore = 0;
        try (PreparedStatement s = c.prepareStatement(sql.transactionsAfter)) {
            s.setLong(1, tid);
            s.setLong(2, Long.MAX_VALUE); // every transaction after tid: see Sql.transactionsAfter
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    packedBefore = rs.getLong(1);
                    result.add(new CommittedTransaction(rs.getLong(2), SqlArrays.longs(rs.getArray(3))));
                }
            }
        }
        return new After(result, packedBefore);
    }

    List<TransactionInfo> transactionLog(Connection c, long beforeTid, int max) throws SQLException {
        List<TransactionInfo> result = new ArrayList<>();
        if (max <= 0) {
            return result;
        }
        try (PreparedStatement s = c.prepareStatement(sql.transactionLog)) {
            s.setLong(1, beforeTid);
            s.setInt(2, max);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    result.add(new TransactionInfo(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            SqlArrays.longs(rs.getArray(5))));
                }
            }
        }
        return result;
    }

    static long[] toArray(List<Long> values) {
        long[] a = new long[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
