package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionInfo;
import org.jodb.spi.TransactionMetadata;
import org.jodb.spi.TransactionRecords;
import org.junit.jupiter.api.Test;

/** What the storage lists of its transactions, and a copy of every transaction into another schema. */
class CopyAndLogTest extends PgSchemas {

    private static long commit(Storage s, String user, String note, long[] oids, long[] serials, String... texts) {
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata(user, note), ConflictResolver.NONE);
        for (int i = 0; i < oids.length; i++) {
            txn.store(oids[i], serials[i], texts[i].getBytes());
        }
        txn.vote();
        return txn.finish();
    }

    @Test
    void everyTransactionCopiesWithItsTidTimeUserNoteAndRecords() {
        try (PostgresStorage source = PostgresStorage.open(server.url(schema("copy_from")));
             PostgresStorage target = PostgresStorage.open(server.url(schema("copy_to")))) {
            long a = source.newOid();
            long b = source.newOid();
            long t1 = commit(source, "alice", "create", new long[] {Storage.ROOT_OID, a, b}, new long[3], "root", "a1",
                    "b1");
            long t2 = commit(source, "bob", "grow", new long[] {a}, new long[] {t1}, "a2");
            long t3 = commit(source, "", "", new long[] {b, a}, new long[] {t1, t2}, "b2", "a3");

            List<TransactionRecords> all = new ArrayList<>();
            source.transactions(Storage.NO_TID).forEachRemaining(all::add);
            assertEquals(List.of(t1, t2, t3), all.stream().map(r -> r.info().tid()).toList(), "oldest first");
            for (TransactionRecords r : all) {
                assertEquals(r.info().oids().length, r.records().size());
                for (int i = 0; i < r.records().size(); i++) {
                    assertEquals(r.info().oids()[i], r.records().get(i).oid(), "records in the order of the oids");
                    assertEquals(r.info().tid(), r.records().get(i).tid());
                }
                StorageTransaction copy = target.tpcBeginCopy(r.info());
                assertThrows(IllegalStateException.class, () -> copy.checkCurrent(a, t1));
                for (Revision rev : r.records()) {
                    copy.store(rev.oid(), 12345, rev.data()); // the serial is ignored
                }
                copy.vote();
                assertEquals(r.info().tid(), copy.finish());
            }

            assertEquals(source.lastTid(), target.lastTid());
            List<TransactionInfo> log = target.transactionLog(Long.MAX_VALUE, 10);
            List<TransactionInfo> original = source.transactionLog(Long.MAX_VALUE, 10);
            assertEquals(original.size(), log.size());
            for (int i = 0; i < log.size(); i++) {
                assertEquals(original.get(i).tid(), log.get(i).tid());
                assertEquals(original.get(i).timeMillis(), log.get(i).timeMillis());
                assertEquals(original.get(i).user(), log.get(i).user());
                assertEquals(original.get(i).note(), log.get(i).note());
                assertArrayEquals(original.get(i).oids(), log.get(i).oids());
            }
            for (long oid : new long[] {Storage.ROOT_OID, a, b}) {
                assertEquals(source.history(oid, 10), target.history(oid, 10));
                assertArrayEquals(source.load(oid).data(), target.load(oid).data());
            }
            assertArrayEquals("a1".getBytes(), target.loadAt(a, t1).data());
            long next = target.newOid();
            assertTrue(next > b, "the target's next oid " + next + " is above every oid copied");

            StorageTransaction again = target.tpcBeginCopy(all.get(1).info());
            again.store(a, 0, "late".getBytes());
            StorageException refused = assertThrows(StorageException.class, again::vote);
            again.abort();
            assertTrue(refused.getMessage().contains(Long.toString(t2)) && refused.getMessage().contains(
                    Long.toString(t3)), refused.getMessage());
            assertEquals(t3, target.lastTid());
        }
    }

    @Test
    void theLogListsNewestFirstAndTheWalkIsLazyAndSkipsWhatPackDropped() {
        try (PostgresStorage s = PostgresStorage.open(server.url(schema("log")))) {
            long a = s.newOid();
            List<Long> tids = new ArrayList<>();
            tids.add(commit(s, "u", "root", new long[] {Storage.ROOT_OID, a}, new long[2], "root", "a0"));
            for (int i = 1; i <= 150; i++) { // more than one page of the walk
                tids.add(commit(s, "u", "n" + i, new long[] {a}, new long[] {tids.get(i - 1)}, "a" + i));
            }
            List<TransactionInfo> newest = s.transactionLog(Long.MAX_VALUE, 3);
            assertEquals(List.of(tids.get(150), tids.get(149), tids.get(148)),
                    newest.stream().map(TransactionInfo::tid).toList());
            assertEquals("n150", newest.get(0).note());
            assertArrayEquals(new long[] {a}, newest.get(0).oids());
            assertEquals(List.of(tids.get(9)), s.transactionLog(tids.get(10), 1).stream()
                    .map(TransactionInfo::tid).toList());
            assertEquals(List.of(), s.transactionLog(Long.MAX_VALUE, 0));
            assertThrows(IllegalArgumentException.class, () -> s.transactionLog(Long.MAX_VALUE, -1));

            Iterator<TransactionRecords> walk = s.transactions(tids.get(140));
            List<Long> walked = new ArrayList<>();
            walk.forEachRemaining(r -> walked.add(r.info().tid()));
            assertEquals(tids.subList(141, 151), walked);

            ReferenceFinder refs = (record, oids) -> {
                if (new String(record).equals("root")) {
                    oids.accept(a);
                }
            };
            s.pack(tids.get(150), refs);
            List<Long> kept = new ArrayList<>();
            s.transactions(Storage.NO_TID).forEachRemaining(r -> kept.add(r.info().tid()));
            assertEquals(List.of(tids.get(0), tids.get(150)), kept, "pack dropped the transactions it kept nothing of");
            assertFalse(s.transactions(tids.get(150)).hasNext());
        }
    }
}
