package org.jodb.postgres;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jodb.spi.StorageException;

/**
 * The records one transaction stores, with the serial each writer read. They stay in the client's memory up to
 * a bound ({@link #BYTES_BOUND} bytes or {@link #COUNT_BOUND} records); past it they are sent ahead, a batch at
 * a time, to {@code object_staging} under this transaction's stage key, so that a transaction of any size
 * commits with bounded memory. Staged rows are committed at once (each batch in autocommit, on a pooled
 * connection given back after it): no database transaction stays open while the application builds its
 * transaction, and vote reads them on any connection. The newest record of an oid wins, in memory and on the
 * server (its sequence number in the stage). {@link #drop} removes what was staged; what a failure kept it
 * from removing is removed by {@link StagingCleanup}.
 */
final class HeldRecords {
    /** Record bytes held in memory before they go to the server. */
    static final long BYTES_BOUND = 4L << 20;
    /** Records held in memory before they go to the server (bounds the maps' own overhead). */
    static final int COUNT_BOUND = 20_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PostgresStorage storage;
    /** Whether the vote names the references of the records (not for copies, which check nothing). */
    private final boolean checkReferences;
    private final Map<Long, byte[]> data = new LinkedHashMap<>();
    private final Map<Long, Long> serials = new HashMap<>();
    private long heldBytes;
    /** The stage key, 0 while nothing was sent ahead. */
    private long stage;
    /** Rows sent to the stage (the sequence number of the last one). */
    private long staged;
    private long maxOid = -1;

    HeldRecords(PostgresStorage storage, boolean checkReferences) {
        this.storage = storage;
        this.checkReferences = checkReferences;
    }

    void add(long oid, long serial, byte[] bytes) {
        byte[] copy = bytes.clone();
        byte[] before = data.put(oid, copy);
        if (before != null) {
            heldBytes -= before.length;
        }
        heldBytes += copy.length;
        serials.put(oid, serial);
        maxOid = Math.max(maxOid, oid);
        if (heldBytes >= BYTES_BOUND || data.size() >= storage.heldRecordsBound) {
            sendAhead();
        }
    }

    /** Puts a resolver's merge in place of the record held for {@code oid}, without sending anything ahead. */
    void replace(long oid, long serial, byte[] merged) {
        byte[] before = data.put(oid, merged);
        heldBytes += merged.length - (before == null ? 0 : before.length);
        serials.put(oid, serial);
    }

    /** Whether records went to the server ahead of vote (vote then reads them all from there). */
    boolean staged() {
        return stage != 0;
    }

    long stage() {
        return stage;
    }

    long stagedCount() {
        return staged;
    }

    long maxOid() {
        return maxOid;
    }

    /** The records held in memory, oldest first. */
    /** The bytes of the records held in memory. */
    long heldBytes() {
        return heldBytes;
    }

    Map<Long, byte[]> data() {
        return data;
    }

    Map<Long, Long> serials() {
        return serials;
    }

    /** Sends the records held in memory to the stage, on a pooled connection, and forgets them here. */
    void sendAhead() {
        if (data.isEmpty()) {
            return;
        }
        if (stage == 0) {
            long key;
            do {
                key = RANDOM.nextLong();
            } while (key == 0);
            stage = key;
        }
        Connection c;
        try {
            c = storage.connections.take();
        } catch (SQLException e) {
            throw Failures.of(storage.name(), "send records ahead of vote (nothing was committed)", e);
        }
        boolean broken = false;
        try {
            stageOn(c, data, serials);
        } catch (SQLException e) {
            broken = Failures.connectionLost(e);
            throw Failures.of(storage.name(), "send records ahead of vote (nothing was committed)", e);
        } finally {
            storage.connections.give(c, broken);
        }
    }

    /**
     * Writes {@code records} to the stage on {@code c}, in whatever database transaction {@code c} is in, and
     * forgets them here if they are the ones held. Used by {@link #sendAhead} and for the records a conflict
     * resolution merged into a staged transaction (inside the vote's database transaction).
     */
    void stageOn(Connection c, Map<Long, byte[]> records, Map<Long, Long> recordSerials) throws SQLException {
        if (stage == 0) {
            throw new IllegalStateException("nothing staged");
        }
        long[] oids = new long[records.size()];
        long[] readSerials = new long[records.size()];
        byte[][] bytes = new byte[records.size()][];
        int i = 0;
        for (Map.Entry<Long, byte[]> e : records.entrySet()) {
            oids[i] = e.getKey();
            readSerials[i] = recordSerials.get(e.getKey());
            bytes[i] = e.getValue();
            i++;
        }
        try (PreparedStatement s = c.prepareStatement(storage.sql.stageRecords)) {
            s.setLong(1, stage);
            s.setLong(2, staged);
            s.setInt(3, storage.owner);
            s.setArray(4, SqlArrays.of(c, "bigint", oids));
            s.setArray(5, SqlArrays.of(c, "bigint", readSerials));
            s.setArray(6, SqlArrays.of(c, "bytea", bytes));
            int rows = s.executeUpdate();
            if (rows != oids.length) {
                throw new StorageException("storage " + storage.name() + " staged " + rows + " of " + oids.length
                        + " records");
            }
        }
        staged += oids.length;
        if (records == data) {
            data.clear();
            serials.clear();
            heldBytes = 0;
        }
    }

    /**
     * The references the vote names, found on {@code c} (in the vote's database transaction): see {@link
     * ReferenceChecks#forVote}; none for a copy, which checks nothing.
     */
    RecordReferences referencesForVote(Connection c) throws SQLException {
        if (!checkReferences) {
            return new RecordReferences();
        }
        return storage.references.forVote(c, data, stage);
    }

    /** Removes what was staged (abort, or a vote that failed); never fails: what it cannot remove is left to recovery. */
    void drop() {
        data.clear();
        serials.clear();
        heldBytes = 0;
        if (stage == 0) {
            return;
        }
        long key = stage;
        stage = 0;
        staged = 0;
        StagingCleanup.drop(storage, key);
    }
}
