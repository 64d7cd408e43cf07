package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.StorageUnavailableException;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Transactions larger than the client holds (here: more than {@value #BOUND} records) send their records ahead
 * to the staging table: they commit whole, the newest record of an oid wins, conflicts are checked and resolved
 * against the staged records as against held ones, and staged records do not outlive their transaction (abort,
 * a failed vote, a storage that is gone). A vote that finds fewer staged records than it sent commits nothing.
 */
class StagedCommitTest extends PgSchemas {
    private static final int BOUND = 10;
    private static final int OBJECTS = 35;
    private final List<PostgresStorage> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(PostgresStorage::close);
    }

    private PostgresStorage open(String schema) {
        PostgresStorage s = PostgresStorage.open(server.url(schema));
        s.heldRecordsBound = BOUND;
        opened.add(s);
        return s;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long[] newObjects(Storage s, int n) {
        long[] oids = new long[n];
        for (int i = 0; i < n; i++) {
            oids[i] = s.newOid();
        }
        return oids;
    }

    private static long commitNew(Storage s, long oid, String text) {
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, Storage.NO_TID, bytes(text));
        txn.vote();
        return txn.finish();
    }

    private static long staged(String schema) throws SQLException {
        try (Connection c = server.admin(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + SchemaName.quoted(schema) + ".object_staging")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aStagedTransactionCommitsEveryRecordAndTheNewestOfAnOid() throws SQLException {
        String schema = schema("staged_all");
        PostgresStorage s = open(schema);
        long[] oids = newObjects(s, OBJECTS);
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("u", "n"), ConflictResolver.NONE);
        txn.store(oids[0], Storage.NO_TID, bytes("first version"));
        for (long oid : oids) {
            if (oid != oids[0]) {
                txn.store(oid, Storage.NO_TID, bytes("object " + oid));
            }
        }
        assertTrue(staged(schema) >= OBJECTS - BOUND, "sent ahead of vote: " + staged(schema));
        txn.store(oids[0], Storage.NO_TID, bytes("second version")); // after its first record went ahead
        assertEquals(0, txn.vote().length);
        long tid = txn.finish();
        assertEquals("second version", new String(s.load(oids[0]).data(), StandardCharsets.UTF_8));
        for (int i = 1; i < OBJECTS; i++) {
            assertEquals(tid, s.load(oids[i]).tid());
            assertArrayEquals(bytes("object " + oids[i]), s.load(oids[i]).data());
        }
        assertEquals(1, s.history(oids[0], 10).size(), "one revision per oid");
        assertEquals(OBJECTS, s.transactionLog(Long.MAX_VALUE, 1).get(0).oids().length);
        assertEquals(0, staged(schema));
    }

    @Test
    void conflictsOfStagedRecordsAreResolvedOrRefused() throws SQLException {
        String schema = schema("staged_conflict");
        PostgresStorage s = open(schema);
        long[] oids = newObjects(s, OBJECTS);
        long t1 = commitNew(s, oids[0], "base");
        StorageTransaction other = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        other.store(oids[0], t1, bytes("theirs"));
        other.vote();
        long t2 = other.finish();

        ConflictResolver merge = (oid, old, committed, mine) -> bytes(new String(old, StandardCharsets.UTF_8) + "+"
                + new String(committed, StandardCharsets.UTF_8) + "+" + new String(mine, StandardCharsets.UTF_8));
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), merge);
        txn.store(oids[0], t1, bytes("mine"));
        for (int i = 1; i < OBJECTS; i++) {
            txn.store(oids[i], Storage.NO_TID, bytes("new " + i));
        }
        assertArrayEquals(new long[] {oids[0]}, txn.vote());
        long t3 = txn.finish();
        assertEquals("base+theirs+mine", new String(s.load(oids[0]).data(), StandardCharsets.UTF_8));
        assertEquals(t3, s.load(oids[OBJECTS - 1]).tid());

        StorageTransaction refused = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        refused.store(oids[0], t2, bytes("stale"));
        for (int i = 1; i < OBJECTS; i++) {
            refused.store(oids[i], t3, bytes("again " + i));
        }
        StorageConflictException e = assertThrows(StorageConflictException.class, refused::vote);
        assertEquals(oids[0], e.oid());
        assertEquals(t3, e.currentSerial());
        refused.abort();
        assertEquals(t3, s.lastTid());
        assertEquals(0, staged(schema));
    }

    @Test
    void aReadCheckOfAnOidTheTransactionStagedIsCoveredByItsWrite() throws SQLException {
        String schema = schema("staged_check");
        PostgresStorage s = open(schema);
        long[] oids = newObjects(s, OBJECTS);
        long t1 = commitNew(s, oids[0], "v1");
        long t2 = commitNew(s, oids[1], "v1");
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.checkCurrent(oids[0], Storage.NO_TID); // stale, but the transaction writes oids[0] from t1
        txn.store(oids[0], t1, bytes("v2"));
        for (int i = 2; i < OBJECTS; i++) {
            txn.store(oids[i], Storage.NO_TID, bytes("new"));
        }
        txn.vote();
        txn.finish();

        StorageTransaction stale = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        stale.checkCurrent(oids[1], t1); // oids[1] is at t2
        for (int i = 2; i < OBJECTS; i++) {
            stale.store(oids[i], s.load(oids[i]).tid(), bytes("newer"));
        }
        StorageConflictException e = assertThrows(StorageConflictException.class, stale::vote);
        assertTrue(e.isReadConflict());
        assertEquals(t2, e.currentSerial());
        stale.abort();
        assertEquals(0, staged(schema));
    }

    @Test
    void abortRemovesWhatWasStaged() throws SQLException {
        String schema = schema("staged_abort");
        PostgresStorage s = open(schema);
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        for (long oid : newObjects(s, OBJECTS)) {
            txn.store(oid, Storage.NO_TID, bytes("never"));
        }
        assertTrue(staged(schema) > 0);
        txn.abort();
        assertEquals(0, staged(schema));
        assertEquals(Storage.NO_TID, s.lastTid());
    }

    @Test
    void aVoteThatFindsStagedRecordsMissingCommitsNothing() throws SQLException {
        String schema = schema("staged_lost");
        PostgresStorage s = open(schema);
        long[] oids = newObjects(s, OBJECTS);
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        for (long oid : oids) {
            txn.store(oid, Storage.NO_TID, bytes("lost"));
        }
        try (Connection c = server.admin(); PreparedStatement st = c.prepareStatement("DELETE FROM "
                + SchemaName.quoted(schema) + ".object_staging WHERE seq = 1")) {
            assertEquals(1, st.executeUpdate()); // as a server crash empties the unlogged table
        }
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, txn::vote);
        assertTrue(e.getMessage().contains("staged"), e.getMessage());
        txn.abort();
        assertEquals(Storage.NO_TID, s.lastTid());
        assertEquals(null, s.load(oids[5]));
        assertEquals(0, staged(schema));
    }

    @Test
    void tablesOfTheFirstFormatGainTheStagingTableAndTheVoteFunctionAtOpen() throws SQLException {
        String schema = schema("staged_format1");
        PostgresStorage before = open(schema);
        long oid = before.newOid();
        long t1 = commitNew(before, oid, "kept");
        before.close();
        String q = SchemaName.quoted(schema);
        try (Connection c = server.admin(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + q + ".object_staging");
            st.execute("DROP TABLE " + q + ".removed_objects"); // new in format 5
            st.execute("DROP FUNCTION " + q + ".vote");
            st.execute("UPDATE " + q + ".storage_info SET format_version = 1");
        }
        PostgresStorage after = open(schema);
        assertEquals("kept", new String(after.load(oid).data(), StandardCharsets.UTF_8));
        StorageTransaction txn = after.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, t1, bytes("changed"));
        for (long more : newObjects(after, OBJECTS)) {
            txn.store(more, Storage.NO_TID, bytes("staged"));
        }
        txn.vote();
        long t2 = txn.finish();
        assertEquals(t2, after.load(oid).tid());
        try (Connection c = server.admin(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT format_version FROM " + q + ".storage_info")) {
            rs.next();
            assertEquals(Sql.FORMAT_VERSION, rs.getInt(1));
        }
    }

    @Test
    void theStagedRecordsOfAStorageThatIsGoneAreRemovedByTheNextOpen() throws SQLException {
        String schema = schema("staged_gone");
        PostgresStorage gone = open(schema);
        StorageTransaction txn = gone.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        for (long oid : newObjects(gone, OBJECTS)) {
            txn.store(oid, Storage.NO_TID, bytes("orphan"));
        }
        assertTrue(staged(schema) > 0);
        gone.close(); // as a process that dies while it builds a transaction: its owner lock is released
        open(schema);
        assertEquals(0, staged(schema));
    }
}
