package org.jodb.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link StorageCopy} between memory storages: a whole copy and its check, an incremental one, a copy after a
 * pack, what the listener hears, the differences {@link StorageCopy#verify} finds, and the refusals. The file
 * store's copies are tested in the storage module.
 */
class StorageCopyTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long commit(Storage s, String note, long oid, String text) {
        Revision current = s.load(oid);
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("tester", note), ConflictResolver.NONE);
        txn.store(oid, current == null ? Storage.NO_TID : current.tid(), bytes(text));
        txn.vote();
        return txn.finish();
    }

    /** A source with the root and two objects written over four transactions. */
    private static MemoryStorage source() {
        MemoryStorage s = new MemoryStorage();
        long a = s.newOid();
        long b = s.newOid();
        commit(s, "root", Storage.ROOT_OID, "root");
        commit(s, "a", a, "a1");
        commit(s, "b", b, "b1");
        commit(s, "a again", a, "a2");
        return s;
    }

    @Test
    void aWholeCopyHoldsEveryTransactionAndItsCheckFindsNoDifference() {
        try (MemoryStorage from = source(); MemoryStorage to = new MemoryStorage()) {
            List<CopyProgress> heard = new ArrayList<>();
            CopyReport report = StorageCopy.copy(from, to, heard::add);
            assertEquals(4, report.transactions());
            assertEquals(4, report.records());
            assertEquals("root".length() + "a1".length() + "b1".length() + "a2".length(), report.bytes());
            assertEquals(Storage.NO_TID, report.afterTid());
            assertEquals(from.lastTid(), report.lastTid());
            assertTrue(report.matches(), report.firstDifference());
            assertEquals(from.lastTid(), to.lastTid());
            List<CopyProgress.Phase> phases = heard.stream().map(CopyProgress::phase).toList();
            assertEquals(List.of(CopyProgress.Phase.COPY, CopyProgress.Phase.COPY, CopyProgress.Phase.COPY,
                    CopyProgress.Phase.COPY, CopyProgress.Phase.VERIFY, CopyProgress.Phase.VERIFY,
                    CopyProgress.Phase.VERIFY, CopyProgress.Phase.VERIFY), phases);
            CopyProgress lastCopied = heard.get(3);
            assertEquals(from.lastTid(), lastCopied.tid());
            assertEquals(from.lastTid(), lastCopied.lastTid());
            assertEquals(4, lastCopied.transactions());
            assertTrue(StorageCopy.verify(from, to).matches());
            assertEquals(4, StorageCopy.verify(from, to).transactions());
            assertTrue(to.newOid() > 2, "oids allocated in the copy come after the copied ones");
        }
    }

    @Test
    void anIncrementalCopyTakesOnlyWhatTheTargetLacks() {
        try (MemoryStorage from = source(); MemoryStorage to = new MemoryStorage()) {
            StorageCopy.copy(from, to);
            long copiedUpTo = to.lastTid();
            long later = commit(from, "later", 1, "a3");
            List<CopyProgress> heard = new ArrayList<>();
            CopyReport report = StorageCopy.copy(from, to, heard::add);
            assertEquals(1, report.transactions());
            assertEquals(copiedUpTo, report.afterTid());
            assertEquals(later, report.lastTid());
            assertTrue(report.matches(), report.firstDifference());
            assertEquals("a3", new String(to.load(1).data(), StandardCharsets.UTF_8));
            assertEquals(4, heard.stream().filter(p -> p.phase() == CopyProgress.Phase.CHECK).count(),
                    "the target's four transactions were checked against the source first");
            CopyReport nothing = StorageCopy.copy(from, to);
            assertEquals(0, nothing.transactions(), "an up-to-date target gets nothing");
            assertTrue(nothing.matches());
        }
    }

    @Test
    void aCopyAfterAPackHoldsWhatThePackKept() {
        try (MemoryStorage from = source(); MemoryStorage to = new MemoryStorage()) {
            // nothing refers to a or b from the root: pack keeps the root's transaction and the newest
            from.pack(from.lastTid(), (record, oids) -> { });
            CopyReport report = StorageCopy.copy(from, to);
            assertEquals(2, report.transactions());
            assertTrue(report.matches(), report.firstDifference());
            assertEquals(from.lastTid(), to.lastTid());
            assertNull(to.load(1), "what pack removed is not copied");
            assertEquals("root", new String(to.load(Storage.ROOT_OID).data(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void verifyNamesTheFirstDifference() {
        try (MemoryStorage from = source(); MemoryStorage to = new MemoryStorage()) {
            StorageCopy.copy(from, to);
            long extra = commit(to, "only in the copy", 2, "b2");
            CopyReport report = StorageCopy.verify(from, to);
            assertFalse(report.matches());
            assertTrue(report.firstDifference().contains("transaction " + extra), report.firstDifference());
            assertEquals(4, report.transactions(), "the four equal ones were compared");

            long missing = commit(from, "only in the source", 1, "a9");
            CopyReport behind = StorageCopy.verify(from, new MemoryStorage());
            assertTrue(behind.firstDifference().contains("is missing"), behind.firstDifference());
            assertTrue(missing > 0);
        }
    }

    @Test
    void verifyFindsDifferentRecordsAndMetadata() {
        try (MemoryStorage from = new MemoryStorage(); MemoryStorage to = new MemoryStorage()) {
            long tid = 7;
            copy(from, new TransactionInfo(tid, 1L, "u", "n", new long[]{Storage.ROOT_OID}), "root");
            copy(to, new TransactionInfo(tid, 1L, "u", "n", new long[]{Storage.ROOT_OID}), "ROOT");
            String records = StorageCopy.verify(from, to).firstDifference();
            assertTrue(records.contains("transaction 7") && records.contains("record of oid 0"), records);
        }
        try (MemoryStorage from = new MemoryStorage(); MemoryStorage to = new MemoryStorage()) {
            copy(from, new TransactionInfo(7, 1L, "u", "n", new long[]{Storage.ROOT_OID}), "root");
            copy(to, new TransactionInfo(7, 1L, "someone else", "n", new long[]{Storage.ROOT_OID}), "root");
            String metadata = StorageCopy.verify(from, to).firstDifference();
            assertTrue(metadata.contains("user and note"), metadata);
        }
    }

    private static void copy(Storage s, TransactionInfo info, String text) {
        StorageTransaction txn = s.tpcBeginCopy(info);
        for (long oid : info.oids()) {
            txn.store(oid, Storage.NO_TID, bytes(text));
        }
        txn.vote();
        txn.finish();
    }

    @Test
    void aCopyIntoItselfOrIntoAnUnrelatedStorageIsRefused() {
        try (MemoryStorage from = source(); MemoryStorage unrelated = new MemoryStorage()) {
            IllegalArgumentException itself = assertThrows(IllegalArgumentException.class,
                    () -> StorageCopy.copy(from, from));
            assertTrue(itself.getMessage().contains("into itself"), itself.getMessage());
            assertThrows(IllegalArgumentException.class, () -> StorageCopy.verify(from, from));

            long own = commit(unrelated, "its own", Storage.ROOT_OID, "another root");
            long before = unrelated.lastTid();
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> StorageCopy.copy(from, unrelated));
            assertTrue(refused.getMessage().contains("not an earlier copy")
                    && refused.getMessage().contains("transaction " + own), refused.getMessage());
            assertEquals(before, unrelated.lastTid(), "nothing was copied");
        }
    }

    @Test
    void aTargetAheadOfItsSourceIsRefused() {
        try (MemoryStorage from = source(); MemoryStorage to = new MemoryStorage()) {
            StorageCopy.copy(from, to);
            long ahead = commit(to, "only here", 1, "a-target");
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> StorageCopy.copy(from, to));
            assertTrue(refused.getMessage().contains("transaction " + ahead), refused.getMessage());
        }
    }

    /** A copy stopped half-way (here by its listener) keeps what it copied, and a copy again continues. */
    @Test
    void aCopyStoppedHalfWayContinuesWhereItStopped() {
        try (MemoryStorage from = source(); MemoryStorage to = new MemoryStorage()) {
            IllegalStateException stop = new IllegalStateException("stopped by the user");
            CopyListener stopAfterTwo = p -> {
                if (p.phase() == CopyProgress.Phase.COPY && p.transactions() == 2) {
                    throw stop;
                }
            };
            assertTrue(stop == assertThrows(IllegalStateException.class, () -> StorageCopy.copy(from, to, stopAfterTwo)));
            assertEquals(2, StorageCopy.verify(from, to).transactions(), "the first two are there");
            CopyReport rest = StorageCopy.copy(from, to);
            assertEquals(2, rest.transactions());
            assertTrue(rest.matches(), rest.firstDifference());
            assertTrue(StorageCopy.verify(from, to).matches());
        }
    }
}
