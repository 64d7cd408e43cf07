package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.spi.StorageException;
import org.jodb.transaction.Transaction;
import org.jodb.transaction.TransactionManager;
import org.jodb.transaction.TransactionStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FailedCommitTest {

    @TempDir
    Path dir;

    private static StorageOptions small() {
        return StorageOptions.builder().segmentSize(4096).indexCapacity(1_000).build();
    }

    /**
     * The write of the transaction record, or its force, fails at finish: the storage closes itself. The
     * committer is told to reopen; aborting the failed transaction must still work (it used to throw the
     * storage's bare "closed: dir" from the connection's after-completion poll, and so did every later begin()
     * of that manager); every connection is then refused with the reason and the remedy; the reopened database
     * has the transaction wholly or not at all.
     */
    @ParameterizedTest
    @EnumSource(value = FailingDisk.Op.class, names = {"WRITE", "FORCE"})
    void aCommitThatBreaksTheStorageCanBeAbortedAndEveryConnectionIsToldToReopen(FailingDisk.Op fault) {
        FailingDisk disk = new FailingDisk();
        Database db = Database.open(FailingDisk.open(dir, small(), disk));
        TransactionManager tm = new TransactionManager();
        TransactionManager tm2 = new TransactionManager();
        Connection c = db.open(tm);
        Connection other = db.open(tm2);
        tm.begin();
        PersistentMap<String, Object> m = new PersistentMap<>();
        c.root().put("m", m);
        m.put("a", 1);
        tm.commit();
        tm2.begin();
        @SuppressWarnings("unchecked")
        PersistentMap<String, Object> theirMap = (PersistentMap<String, Object>) other.root().get("m");
        tm2.commit();
        tm2.begin();
        theirMap.put("b", 1); // a change in progress when the storage breaks

        Transaction t = tm.begin();
        List<Boolean> outcome = new ArrayList<>();
        t.addAfterCommitHook(outcome::add);
        m.put("a", 2);
        c.root().put("x", "new");
        disk.failNext(fault, true);
        StorageException failed = assertThrows(StorageException.class, tm::commit);
        assertTrue(failed.getMessage().contains("reopen"), failed.getMessage());
        assertEquals(0, failed.getSuppressed().length, "nothing but the storage's failure is reported");
        assertEquals(List.of(false), outcome, "the after-commit hook is told the commit failed");
        assertEquals(TransactionStatus.COMMIT_FAILED, t.status());

        tm.abort(); // must not throw: the transaction is over, whatever the storage says
        assertFalse(tm.isActive());
        try (Database healthy = Database.inMemory()) {
            // the same manager, another database: the broken one's connection does not get in its way
            Connection elsewhere = healthy.open(tm);
            tm.begin();
            elsewhere.root().put("still", "working");
            tm.commit();
            tm.begin();
            assertEquals("working", elsewhere.root().get("still"));
            tm.abort();
            elsewhere.close();
        }
        IllegalStateException mine = assertThrows(IllegalStateException.class, () -> m.get("a"));
        assertTrue(mine.getMessage().contains("failed") && mine.getMessage().contains("open it again"),
                mine.getMessage());
        IllegalStateException refused = assertThrows(IllegalStateException.class, tm2::commit);
        assertTrue(refused.getMessage().contains("open it again"), refused.getMessage());
        tm2.abort();
        tm2.begin(); // the other manager's boundary does not fail either
        IllegalStateException theirs = assertThrows(IllegalStateException.class, () -> other.root().get("m"));
        assertTrue(theirs.getMessage().contains("open it again"), theirs.getMessage());
        tm2.abort();
        assertThrows(IllegalStateException.class, db::open);
        c.close();
        other.close();
        db.close();

        try (Database again = Database.open(MappedFileStorage.open(dir, small()))) {
            Connection r = again.open(tm);
            tm.begin();
            @SuppressWarnings("unchecked")
            PersistentMap<String, Object> reread = (PersistentMap<String, Object>) r.root().get("m");
            boolean present = Integer.valueOf(2).equals(reread.get("a"));
            assertEquals(present ? 2 : 1, reread.get("a"));
            assertEquals(present ? "new" : null, r.root().get("x"), "wholly present or wholly absent");
            reread.put("a", 3);
            tm.commit();
        }
    }

    /**
     * Disk full at the rollover of a commit's vote: the storage stays open. After abort the connection shows
     * the last committed state, new objects of the failed commit are disowned (and can be added again), and
     * the retry after room was made commits exactly the retried state.
     */
    @Test
    void aCommitRefusedForAFullDiskCanBeRetriedOnTheSameConnection() {
        FailingDisk disk = new FailingDisk();
        String big = "x".repeat(3000); // two of them do not fit a 4 KiB segment: the vote rolls over
        try (Database db = Database.open(FailingDisk.open(dir, small(), disk))) {
            TransactionManager tm = new TransactionManager();
            Connection c = db.open(tm);
            tm.begin();
            c.root().put("big", big + 1);
            tm.commit();

            tm.begin();
            c.root().put("big", big + 2);
            PersistentMap<String, Object> fresh = new PersistentMap<>();
            fresh.put("k", "v");
            c.root().put("fresh", fresh);
            disk.failNext(FailingDisk.Op.CREATE, true);
            StorageException full = assertThrows(StorageException.class, tm::commit);
            assertTrue(full.getMessage().contains("No space left"), full.getMessage());
            assertEquals(TransactionStatus.COMMIT_FAILED, tm.get().status());
            tm.abort();
            assertEquals(big + 1, c.root().get("big"), "the aborted change is gone");
            assertEquals(null, c.root().get("fresh"));
            assertEquals("v", fresh.get("k"), "a disowned new object keeps its state for the application");

            tm.begin(); // still full: refused again, and nothing changes
            c.root().put("big", big + 3);
            assertThrows(StorageException.class, tm::commit);
            tm.abort();

            disk.heal();
            tm.begin();
            c.root().put("big", big + 4);
            c.root().put("fresh", fresh);
            tm.commit();
            tm.begin();
            assertEquals(big + 4, c.root().get("big"));
            tm.abort();
        }
        try (Database again = Database.open(MappedFileStorage.open(dir, small()))) {
            TransactionManager tm = new TransactionManager();
            Connection r = again.open(tm);
            tm.begin();
            assertEquals(big + 4, r.root().get("big"));
            @SuppressWarnings("unchecked")
            PersistentMap<String, Object> fresh = (PersistentMap<String, Object>) r.root().get("fresh");
            assertEquals("v", fresh.get("k"));
            tm.abort();
        }
    }
}
