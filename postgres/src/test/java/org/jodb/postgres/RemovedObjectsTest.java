package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.DanglingReferenceException;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;

/**
 * Two storages on one schema, as two processes: when one packs away an object the other still holds, the
 * other's commit that links it again is refused ({@link DanglingReferenceException}, nothing written), whether it
 * learned of the pack or not, through a group commit or a vote of its own; references to objects that exist still
 * commit. The pack keeps the oids it removed in {@code removed_objects}, which the vote checks under the commit
 * lock.
 */
class RemovedObjectsTest extends PgSchemas {
    /** A test record: the oids it refers to, 8 bytes each. */
    private static byte[] record(long... refs) {
        ByteBuffer b = ByteBuffer.allocate(8 * refs.length);
        for (long r : refs) {
            b.putLong(r);
        }
        return b.array();
    }

    private static final ReferenceFinder REFERENCES = (record, oids) -> {
        ByteBuffer b = ByteBuffer.wrap(record);
        while (b.remaining() >= 8) {
            oids.accept(b.getLong());
        }
    };

    private static StorageTransaction begin(PostgresStorage storage) {
        return storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
    }

    /** One-phase commit: through the storage's commit group. */
    private static long groupCommit(PostgresStorage storage, long oid, long serial, byte[] data) {
        StorageTransaction txn = begin(storage);
        txn.store(oid, serial, data);
        return txn.voteAndFinish().tid();
    }

    /** Two-phase commit: a vote of its own. */
    private static long twoPhaseCommit(PostgresStorage storage, long oid, long serial, byte[] data) {
        StorageTransaction txn = begin(storage);
        txn.store(oid, serial, data);
        txn.vote();
        return txn.finish();
    }

    /**
     * The root refers to {@code dropped}, then no longer, and {@code packer} packs it away: returns the tid of the
     * pack (the root's last commit).
     */
    private static long packAway(PostgresStorage packer, long dropped) {
        long t1 = groupCommit(packer, Storage.ROOT_OID, Storage.NO_TID, record(dropped));
        groupCommit(packer, dropped, Storage.NO_TID, record());
        long t2 = groupCommit(packer, Storage.ROOT_OID, t1, record());
        packer.pack(t2, REFERENCES);
        assertNull(packer.load(dropped), "the pack removed it");
        return t2;
    }

    /** A storage on {@code url} given the test records' finder, as {@code Database.open} gives its own. */
    private static PostgresStorage withFinder(String url) {
        PostgresStorage storage = PostgresStorage.open(url);
        storage.useReferenceFinder(REFERENCES);
        return storage;
    }

    private interface Commit {
        long run(PostgresStorage storage, long oid, long serial, byte[] data);
    }

    @Test
    void aGroupCommitOfAnotherProcessThatLinksAnObjectPackRemovedIsRefused() throws SQLException {
        relinkIsRefused("groupcommit", RemovedObjectsTest::groupCommit);
    }

    @Test
    void aTwoPhaseCommitOfAnotherProcessThatLinksAnObjectPackRemovedIsRefused() throws SQLException {
        relinkIsRefused("twophase", RemovedObjectsTest::twoPhaseCommit);
    }

    private void relinkIsRefused(String prefix, Commit commit) throws SQLException {
        String schema = schema(prefix);
        String url = server.url(schema);
        try (PostgresStorage packer = withFinder(url); PostgresStorage other = withFinder(url)) {
            long kept = packer.newOid();
            long dropped = packer.newOid();
            StorageTransaction first = begin(packer);
            first.store(Storage.ROOT_OID, Storage.NO_TID, record(kept, dropped));
            first.store(kept, Storage.NO_TID, record());
            first.store(dropped, Storage.NO_TID, record());
            long t1 = first.voteAndFinish().tid();
            long t2 = groupCommit(packer, Storage.ROOT_OID, t1, record(kept)); // dropped is unreachable now

            packer.pack(t2, REFERENCES);
            assertNull(packer.load(dropped));
            assertEquals(1, count(schema, "removed_objects WHERE oid = " + dropped + " AND pack_tid = " + t2));
            assertFalse(other.references.needed(), "the other process has not heard of the pack");

            // the other process still held the dropped object and links it again
            DanglingReferenceException e = assertThrows(DanglingReferenceException.class,
                    () -> commit.run(other, kept, t1, record(dropped)));
            assertEquals(dropped, e.oid());
            assertEquals(kept, e.referencingOid());
            assertTrue(e.getMessage().contains("oid " + kept + " refers to oid " + dropped), e.getMessage());
            assertEquals(t2, other.lastTid(), "nothing was committed");
            assertEquals(t1, other.load(kept).tid());
            assertTrue(other.references.needed(), "the server told it to name its references");

            // references to objects that exist, a new one included, still commit
            long fresh = other.newOid();
            StorageTransaction ok = begin(other);
            ok.store(kept, t1, record(fresh));
            ok.store(fresh, Storage.NO_TID, record(Storage.ROOT_OID));
            long t3 = ok.voteAndFinish().tid();
            assertArrayEquals(record(fresh), other.load(kept).data());
            assertTrue(t3 > t2);
        }
    }

    @Test
    void aStorageOpenedAfterAPackNamesItsReferencesFromItsFirstVote() throws SQLException {
        String schema = schema("afterpack");
        String url = server.url(schema);
        long dropped;
        long t2;
        try (PostgresStorage packer = PostgresStorage.open(url)) {
            dropped = packer.newOid();
            t2 = packAway(packer, dropped);
        }
        try (PostgresStorage later = withFinder(url)) {
            assertTrue(later.references.needed(), "read at open");
            DanglingReferenceException e = assertThrows(DanglingReferenceException.class,
                    () -> twoPhaseCommit(later, Storage.ROOT_OID, t2, record(dropped)));
            assertEquals(Storage.ROOT_OID, e.referencingOid());
            assertEquals(t2, later.lastTid());
        }
    }

    @Test
    void aStagedTransactionThatLinksAnObjectPackRemovedIsRefused() throws SQLException {
        String schema = schema("staged");
        String url = server.url(schema);
        try (PostgresStorage packer = withFinder(url); PostgresStorage other = withFinder(url)) {
            long dropped = packer.newOid();
            long t2 = packAway(packer, dropped);

            other.heldRecordsBound = 3; // records go ahead to the staging table in batches of three
            StorageTransaction txn = begin(other);
            long[] fresh = new long[7];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = other.newOid();
                txn.store(fresh[i], Storage.NO_TID, i == 1 ? record(dropped) : record(Storage.ROOT_OID));
            }
            DanglingReferenceException e = assertThrows(DanglingReferenceException.class, txn::vote);
            txn.abort();
            assertEquals(dropped, e.oid());
            assertEquals(fresh[1], e.referencingOid(), "found among the records sent ahead");
            assertEquals(t2, other.lastTid());
            assertEquals(0, count(schema, "object_staging"), "the staged records were removed");
        }
    }

    @Test
    void aStagedRecordStoredAgainWithoutTheReferenceCommits() throws SQLException {
        String schema = schema("restaged");
        String url = server.url(schema);
        try (PostgresStorage packer = withFinder(url); PostgresStorage other = withFinder(url)) {
            long dropped = packer.newOid();
            long t2 = packAway(packer, dropped);

            other.heldRecordsBound = 3;
            StorageTransaction txn = begin(other);
            long holder = other.newOid();
            txn.store(holder, Storage.NO_TID, record(dropped)); // sent ahead with the first batch of three
            long[] fresh = new long[5];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = other.newOid();
                txn.store(fresh[i], Storage.NO_TID, record(holder));
            }
            txn.store(holder, Storage.NO_TID, record(Storage.ROOT_OID)); // stored again, without the reference
            txn.vote();
            long t3 = txn.finish();
            assertArrayEquals(record(Storage.ROOT_OID), other.load(holder).data(), "what commits refers to no"
                    + " removed object: the vote names the references of the newest record of each oid");
            assertEquals(t3, other.lastTid());
        }
    }

    private long count(String schema, String fromWhere) throws SQLException {
        try (Connection c = server.admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SchemaName.quoted(schema) + "." + fromWhere)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
