package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.spi.CopyReport;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.StorageCopy;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StorageCopy} with the file store: a database written through the API is copied to memory and back
 * into a new store, which then opens with {@link Database#open(Path)} and reads the same objects, the same
 * history and the same past states; a copy after a pack; an incremental copy into a store; refusals.
 */
class FileStoreCopyTest {

    @TempDir
    Path dir;

    /** Writes an account over three transactions; returns the tid after each. */
    private static long[] writeAccount(Path store) {
        try (Database db = Database.open(store)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            tm.get().note("open the account");
            Account a = c.create(Account.class, "alice", 10L);
            c.root().put("alice", a);
            tm.commit();
            long t1 = db.storage().lastTid();
            a.deposit(5);
            tm.get().note("first deposit");
            tm.commit();
            long t2 = db.storage().lastTid();
            a.deposit(7);
            tm.commit();
            long t3 = db.storage().lastTid();
            return new long[]{t1, t2, t3};
        }
    }

    private static long balanceAt(Database db, long tid) {
        TransactionManager tm = new TransactionManager(false);
        Connection past = db.openAt(tm, tid);
        try {
            return ((Account) past.root().get("alice")).balance();
        } finally {
            tm.abort();
            past.close();
        }
    }

    @Test
    void aStoreCopiedToMemoryAndBackOpensWithItsObjectsHistoryAndPast() {
        Path original = dir.resolve("original");
        long[] tids = writeAccount(original);
        Path again = dir.resolve("again");
        try (MappedFileStorage from = MappedFileStorage.open(original); MemoryStorage memory = new MemoryStorage()) {
            CopyReport toMemory = StorageCopy.copy(from, memory);
            assertTrue(toMemory.matches(), toMemory.firstDifference());
            assertTrue(toMemory.transactions() >= 3, "the three commits (and the database's first): " + toMemory);
            assertEquals(tids[2], memory.lastTid());
            try (MappedFileStorage into = MappedFileStorage.open(again)) {
                CopyReport toFile = StorageCopy.copy(memory, into);
                assertTrue(toFile.matches(), toFile.firstDifference());
                assertEquals(toMemory.transactions(), toFile.transactions());
                assertEquals(toMemory.bytes(), toFile.bytes());
                assertTrue(StorageCopy.verify(from, into).matches(), "the store equals the original");
            }
        }
        try (Database copy = Database.open(again); Database first = Database.open(original)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = copy.open(tm);
            Account alice = (Account) c.root().get("alice");
            assertEquals(22, alice.balance());
            assertEquals(List.of("deposit 5", "deposit 7"), alice.history());
            long oid = Persistence.oid(alice).orElseThrow();
            tm.abort();
            assertEquals(first.storage().history(oid, 10), copy.storage().history(oid, 10),
                    "the same tids, times, users, notes and sizes");
            List<RevisionInfo> revisions = copy.storage().history(oid, 10);
            assertEquals(3, revisions.size());
            assertEquals("first deposit", revisions.get(1).note());
            assertEquals(10, balanceAt(copy, tids[0]));
            assertEquals(15, balanceAt(copy, tids[1]));
            assertEquals(22, balanceAt(copy, tids[2]));

            alice = (Account) c.root().get("alice");
            alice.deposit(1); // the copy takes commits of its own, after the copied tids
            tm.commit();
            assertTrue(copy.storage().lastTid() > tids[2]);
        }
    }

    @Test
    void aPackedStoreCopiesWhatThePackKeptAndAnIncrementalCopyFollows() {
        Path original = dir.resolve("original");
        long[] tids = writeAccount(original);
        try (Database db = Database.open(original)) {
            db.pack();
        }
        Path target = dir.resolve("target");
        try (MappedFileStorage from = MappedFileStorage.open(original);
             MappedFileStorage to = MappedFileStorage.open(target)) {
            CopyReport report = StorageCopy.copy(from, to);
            assertTrue(report.matches(), report.firstDifference());
            assertEquals(tids[2], to.lastTid());
        }
        try (Database db = Database.open(original)) {
            TransactionManager tm = new TransactionManager(false);
            ((Account) db.open(tm).root().get("alice")).deposit(100);
            tm.commit();
        }
        try (MappedFileStorage from = MappedFileStorage.open(original);
             MappedFileStorage to = MappedFileStorage.open(target)) {
            CopyReport more = StorageCopy.copy(from, to);
            assertEquals(1, more.transactions(), "only the new commit");
            assertEquals(tids[2], more.afterTid());
            assertTrue(more.matches(), more.firstDifference());
        }
        try (Database db = Database.open(target)) {
            TransactionManager tm = new TransactionManager(false);
            assertEquals(122, ((Account) db.open(tm).root().get("alice")).balance());
            tm.abort();
        }
    }

    @Test
    void anUnrelatedStoreIsRefusedAndLeftAsItWas() {
        Path original = dir.resolve("original");
        writeAccount(original);
        Path other = dir.resolve("other");
        try (Database db = Database.open(other)) {
            TransactionManager tm = new TransactionManager(false);
            db.open(tm).root().put("mine", "x");
            tm.commit();
        }
        try (MappedFileStorage from = MappedFileStorage.open(original);
             MappedFileStorage to = MappedFileStorage.open(other)) {
            long before = to.lastTid();
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> StorageCopy.copy(from, to));
            assertTrue(refused.getMessage().contains("not an earlier copy"), refused.getMessage());
            assertTrue(refused.getMessage().contains(Long.toString(before))
                    || refused.getMessage().contains("transaction "), refused.getMessage());
            assertEquals(before, to.lastTid());
            assertFalse(StorageCopy.verify(from, to).matches());
        }
    }

    /** A crash right after a copy: recovery, which rebuilds the index from the log, finds every copied commit. */
    @Test
    void copiedTransactionsSurviveACrashOfTheTarget() throws Exception {
        Path original = dir.resolve("original");
        long[] tids = writeAccount(original);
        Path target = dir.resolve("target");
        Path crashed = dir.resolve("crashed");
        long highestOid;
        try (MappedFileStorage from = MappedFileStorage.open(original);
             MappedFileStorage to = MappedFileStorage.open(target)) {
            assertTrue(StorageCopy.copy(from, to).matches());
            highestOid = from.newOid() - 1;
            StoreFiles.copyCrashImage(target, crashed); // what a kill -9 of the copying process would leave
        }
        try (MappedFileStorage from = MappedFileStorage.open(original);
             MappedFileStorage recovered = MappedFileStorage.open(crashed)) {
            assertEquals(tids[2], recovered.lastTid());
            CopyReport check = StorageCopy.verify(from, recovered);
            assertTrue(check.matches(), check.firstDifference());
            assertTrue(recovered.newOid() > highestOid, "the oid allocator is above the copied oids");
        }
        try (Database db = Database.open(crashed)) {
            assertEquals(15, balanceAt(db, tids[1]));
        }
    }
}
