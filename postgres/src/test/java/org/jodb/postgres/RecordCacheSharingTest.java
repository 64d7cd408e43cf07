package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.StorageView;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;

/**
 * Two storages on one schema, as two processes: a small commit of one reaches the other's record cache through
 * its notification, so that the other's views read it without a round trip, each view still reading the
 * revision of its own snapshot; a large commit's notification carries no records, and its oids are dropped.
 */
class RecordCacheSharingTest extends PgSchemas {

    private static long commit(PostgresStorage storage, long oid, long serial, byte[] data) {
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, serial, data);
        return txn.voteAndFinish().tid();
    }

    /** Waits until {@code storage} has applied every commit up to {@code tid} (its listener heard them). */
    private static void awaitApplied(PostgresStorage storage, long tid) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (storage.recordCache.through() < tid && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(tid, storage.recordCache.through(), "the other storage heard the commit");
    }

    @Test
    void aSmallCommitOfOneProcessIsReadByTheOtherFromItsCacheAtItsSnapshot() throws InterruptedException {
        String url = server.url(schema("cache"));
        try (PostgresStorage a = PostgresStorage.open(url); PostgresStorage b = PostgresStorage.open(url)) {
            long oid = a.newOid();
            long t1 = commit(a, oid, Storage.NO_TID, new byte[] {1, 2, 3});
            awaitApplied(b, t1);
            StorageView before = b.openView();
            assertEquals(t1, before.snapshotTid());
            Revision cached = b.recordCache.get(oid, t1);
            assertNotNull(cached, "the notification carried the record");
            assertArrayEquals(new byte[] {1, 2, 3}, cached.data());
            assertArrayEquals(new byte[] {1, 2, 3}, before.load(oid).data());

            long t2 = commit(a, oid, t1, new byte[] {4});
            awaitApplied(b, t2);
            StorageView after = b.openView();
            assertEquals(t2, after.snapshotTid());
            assertArrayEquals(new byte[] {4}, b.recordCache.get(oid, t2).data());
            assertArrayEquals(new byte[] {4}, after.load(oid).data());
            Revision old = before.load(oid); // from the server: the cache holds the newest revision only
            assertEquals(t1, old.tid());
            assertArrayEquals(new byte[] {1, 2, 3}, old.data());
            before.close();
            after.close();
        }
    }

    @Test
    void aLoadAtASnapshotNotYetCommittedIsNotCached() throws InterruptedException {
        String url = server.url(schema("cache"));
        try (PostgresStorage a = PostgresStorage.open(url); PostgresStorage b = PostgresStorage.open(url)) {
            long oid = a.newOid();
            long t1 = commit(a, oid, Storage.NO_TID, new byte[] {1});
            awaitApplied(b, t1);
            b.recordCache.clear();
            StorageView future = b.openView(t1 + 1_000_000_000L); // a tid no commit has reached
            assertArrayEquals(new byte[] {1}, future.load(oid).data());
            assertNull(b.recordCache.get(oid, t1), "a commit before that snapshot may still write the oid");
            assertArrayEquals(new byte[] {1}, b.load(oid).data()); // the newest revision: no snapshot either
            assertNull(b.recordCache.get(oid, t1));
            StorageView now = b.openView();
            assertArrayEquals(new byte[] {1}, now.load(oid).data());
            assertArrayEquals(new byte[] {1}, b.recordCache.get(oid, t1).data(), "a committed snapshot's load is");
            future.close();
            now.close();
        }
    }

    @Test
    void aLargeCommitDropsTheRevisionsItReplacedAndLoadsReadTheServer() throws InterruptedException {
        String url = server.url(schema("cache"));
        try (PostgresStorage a = PostgresStorage.open(url); PostgresStorage b = PostgresStorage.open(url)) {
            long oid = a.newOid();
            long t1 = commit(a, oid, Storage.NO_TID, new byte[] {1});
            awaitApplied(b, t1);
            byte[] large = new byte[VoteFunction.MAX_NOTIFIED_BYTES + 1];
            large[0] = 9;
            long t2 = commit(a, oid, t1, large);
            awaitApplied(b, t2);
            assertNull(b.recordCache.get(oid, t2), "the notification named the oid without its record");
            StorageView view = b.openView();
            assertArrayEquals(large, view.load(oid).data());
            assertArrayEquals(large, b.recordCache.get(oid, t2).data(), "the load was offered to the cache");
            view.close();
        }
    }

    @Test
    void aPreparedCommitOfOneProcessReachesTheOthersCacheThroughItsNotifier() throws InterruptedException {
        String url = server.url(schema("prepared"));
        try (PostgresStorage a = PostgresStorage.open(url); PostgresStorage b = PostgresStorage.open(url)) {
            assertTrue(a.prepares, "the test server allows prepared transactions");
            long oid = a.newOid();
            StorageTransaction txn = a.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            txn.store(oid, Storage.NO_TID, new byte[] {5, 6});
            txn.vote(); // PREPARE TRANSACTION: the vote function could not notify
            long t1 = txn.finish(); // COMMIT PREPARED; the storage's notifier sends the notification
            awaitApplied(b, t1);
            Revision cached = b.recordCache.get(oid, t1);
            assertNotNull(cached, "the notifier's notification carried the record, as the vote function's would");
            assertArrayEquals(new byte[] {5, 6}, cached.data());
            assertEquals(t1, b.openView().snapshotTid());
        }
    }
}
