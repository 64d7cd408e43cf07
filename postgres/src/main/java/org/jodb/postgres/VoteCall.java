package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jodb.spi.DanglingReferenceException;
import org.jodb.spi.Storage;
import org.jodb.spi.TransactionInfo;
import org.jodb.spi.TransactionMetadata;

/**
 * One call of the schema's vote function ({@link VoteFunction}) for one transaction, in the database transaction
 * open on the connection: the records held in memory go as arrays (or, for a staged transaction, the stage key
 * and its count), with the read checks, the metadata and the commit id. A PREPARE TRANSACTION can ride in the
 * same round trip: the server runs it only if the function succeeded.
 */
final class VoteCall {
    /** How long the function waits for the commit lock before the caller looks for abandoned transactions. */
    static final String LOCK_WAIT = "5s";
    /** The function's parameters (bound by {@link #bind}). */
    static final int PARAMETERS = 18;
    /** SQLSTATE of a lock wait that ran out ({@code lock_timeout}). */
    static final String LOCK_TIMEOUT = "55P03";

    /** A conflict the function reported: what the writer read, what is committed, and the writer's record. */
    record Conflict(long oid, long serial, long committed, boolean readCheck, byte[] readData, byte[] committedData,
                    byte[] ownData) {
    }

    /**
     * The tid chosen and written (when there were no conflicts) with the newest tid committed before it (read
     * under the commit lock), or the conflicts (nothing written).
     */
    record Outcome(long tid, long previousTid, List<Conflict> conflicts) {
    }

    private final PostgresStorage storage;
    private final HeldRecords records;
    private final Map<Long, Long> readChecks;
    private final TransactionMetadata metadata;
    /** The copied transaction, or null. */
    private final TransactionInfo copied;
    /** The references the last bind named (null: none), to name the record that refers to a removed object. */
    private RecordReferences named;

    VoteCall(PostgresStorage storage, HeldRecords records, Map<Long, Long> readChecks, TransactionMetadata metadata,
             TransactionInfo copied) {
        this.storage = storage;
        this.records = records;
        this.readChecks = readChecks;
        this.metadata = metadata;
        this.copied = copied;
    }

    /**
     * Calls the function.
     *
     * @param report     true: return the conflicts with their revisions; false: fail with {@link
     *                   VoteFunction#CONFLICT} at the first (the fast path: no data travels back)
     * @param channel    the channel the function notifies on (delivered at COMMIT), or null
     * @param prepareGid a prepared transaction id to PREPARE in the same round trip, or null
     */
    Outcome run(Connection c, long commitId, boolean report, String channel, String prepareGid) throws SQLException {
        String statement = storage.sql.vote.call;
        if (prepareGid != null) {
            statement += "; " + PreparedTransactions.prepareStatement(prepareGid);
        }
        try (PreparedStatement s = c.prepareStatement(statement)) {
            bind(c, s, 1, commitId, report, channel);
            s.execute();
            Outcome outcome;
            try (ResultSet rs = s.getResultSet()) {
                outcome = read(rs);
            }
            if (prepareGid != null) {
                s.getMoreResults(); // PREPARE's (empty) result; an error would have been thrown by execute
            }
            return outcome;
        }
    }

    /**
     * Binds the function's {@value #PARAMETERS} parameters, the first at index {@code first} (several calls can
     * share one statement).
     */
    void bind(Connection c, PreparedStatement s, int first, long commitId, boolean report, String channel)
            throws SQLException {
        int at = first - 1;
        Map<Long, byte[]> held = records.data();
        Map<Long, Long> serials = records.serials();
        int n = records.staged() ? 0 : held.size();
        long[] oids = new long[n];
        long[] readSerials = new long[n];
        byte[][] bytes = new byte[n][];
        if (n > 0) {
            int i = 0;
            for (Map.Entry<Long, byte[]> e : held.entrySet()) {
                oids[i] = e.getKey();
                readSerials[i] = serials.get(e.getKey());
                bytes[i] = e.getValue();
                i++;
            }
        }
        List<long[]> checks = new ArrayList<>();
        for (Map.Entry<Long, Long> e : readChecks.entrySet()) {
            if (!serials.containsKey(e.getKey())) { // the write check covers an oid the transaction stores
                checks.add(new long[] {e.getKey(), e.getValue()});
            }
        }
        long[] checkOids = new long[checks.size()];
        long[] checkSerials = new long[checks.size()];
        for (int i = 0; i < checks.size(); i++) {
            checkOids[i] = checks.get(i)[0];
            checkSerials[i] = checks.get(i)[1];
        }
        s.setLong(at + 1, storage.keys.commit());
        s.setString(at + 2, LOCK_WAIT);
        s.setArray(at + 3, SqlArrays.of(c, "bigint", oids));
        s.setArray(at + 4, SqlArrays.of(c, "bigint", readSerials));
        s.setArray(at + 5, SqlArrays.of(c, "bytea", bytes));
        if (records.staged()) {
            s.setLong(at + 6, records.stage());
            s.setLong(at + 7, records.stagedCount());
        } else {
            s.setNull(at + 6, java.sql.Types.BIGINT);
            s.setNull(at + 7, java.sql.Types.BIGINT);
        }
        s.setArray(at + 8, SqlArrays.of(c, "bigint", checkOids));
        s.setArray(at + 9, SqlArrays.of(c, "bigint", checkSerials));
        s.setLong(at + 10, System.currentTimeMillis() << 20);
        if (copied != null) {
            s.setLong(at + 11, copied.tid());
        } else {
            s.setNull(at + 11, java.sql.Types.BIGINT);
        }
        s.setLong(at + 12, copied != null ? copied.timeMillis() : System.currentTimeMillis());
        s.setString(at + 13, copied != null ? copied.user() : metadata.user());
        s.setString(at + 14, copied != null ? copied.note() : metadata.note());
        s.setLong(at + 15, commitId);
        s.setString(at + 16, channel);
        s.setBoolean(at + 17, report);
        named = records.referencesForVote(c);
        if (named == null) {
            s.setNull(at + 18, java.sql.Types.ARRAY);
        } else {
            s.setArray(at + 18, SqlArrays.of(c, "bigint", named.oids()));
        }
    }

    /**
     * What the server's refusal {@code e} ({@link VoteFunction#REFERS_TO_REMOVED}, whose text {@code serverText}
     * is the removed oid) means: which record referred to which removed object.
     */
    DanglingReferenceException danglingReference(String serverText, SQLException e) {
        Matcher number = Pattern.compile("-?\\d+").matcher(serverText == null ? "" : serverText);
        long removed = number.find() ? Long.parseLong(number.group()) : Storage.NO_TID;
        long referrer = named == null ? -1 : named.referrerOf(removed);
        DanglingReferenceException d = new DanglingReferenceException(referrer, removed);
        d.initCause(e);
        return d;
    }

    static Outcome read(ResultSet rs) throws SQLException {
        long tid = Storage.NO_TID;
        long previousTid = Storage.NO_TID;
        List<Conflict> conflicts = new ArrayList<>();
        while (rs.next()) {
            long rowTid = rs.getLong(1);
            if (!rs.wasNull()) {
                tid = rowTid;
                previousTid = rs.getLong(9);
                continue;
            }
            long committed = rs.getLong(4);
            conflicts.add(new Conflict(rs.getLong(2), rs.getLong(3), rs.wasNull() ? Storage.NO_TID : committed,
                    rs.getBoolean(5), rs.getBytes(6), rs.getBytes(7), rs.getBytes(8)));
        }
        return new Outcome(tid, previousTid, conflicts);
    }
}
