package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.TransactionDescription;
import org.jodb.UndoException;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactional undo on the file store: the undo log and the undo survive a reopen; a pack of an earlier run. */
class FileStoreUndoTest {

    @TempDir
    Path tmp;

    private static TransactionDescription byNote(Database db, String note) {
        List<TransactionDescription> found = db.undoLog(1, t -> t.note().equals(note));
        assertEquals(1, found.size(), "the undo log lists the transaction noted " + note);
        return found.get(0);
    }

    @Test
    void aTransactionFoundInTheUndoLogAfterAReopenIsUndoneAndTheUndoIsDurable() {
        Path dir = tmp.resolve("db");
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("alice", c.create(Account.class, "alice", 100));
            c.root().put("bob", c.create(Account.class, "bob", 200));
            tm.commit();
            ((Account) c.root().get("alice")).deposit(-100);
            ((Account) c.root().get("bob")).deposit(-200);
            tm.get().setUser("intern");
            tm.get().note("bulk update");
            tm.commit();
        }
        long undo;
        try (Database db = Database.open(dir)) {
            TransactionDescription bad = byNote(db, "bulk update");
            assertEquals("intern", bad.user());
            assertEquals(2, bad.oids().size());
            TransactionManager tm = new TransactionManager(false);
            db.undo(tm, bad.tid());
            tm.get().note("undo of the bulk update");
            tm.commit();
            undo = byNote(db, "undo of the bulk update").tid();
        }
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            assertEquals(100, ((Account) c.root().get("alice")).balance());
            assertEquals(200, ((Account) c.root().get("bob")).balance());
            assertEquals(undo, db.undoLog(1).get(0).tid());
            tm.abort();
        }
    }

    @Test
    void aMapChangedToOtherKeysSinceMergesWithTheUndoInAFreshlyOpenedDatabase() {
        Path dir = tmp.resolve("map");
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            PersistentMap<String, Long> prices = new PersistentMap<>();
            prices.put("tea", 3L);
            c.root().put("prices", prices);
            tm.commit();
            prices.put("tea", 300L);
            tm.get().note("typo");
            tm.commit();
            prices.put("coffee", 4L);
            tm.commit();
        }
        try (Database db = Database.open(dir)) {
            // nothing of the map was read in this run: the merge reads the class names its records use
            TransactionManager tm = new TransactionManager(false);
            db.undo(tm, byNote(db, "typo").tid());
            tm.commit();
            @SuppressWarnings("unchecked")
            Map<String, Long> prices = (Map<String, Long>) db.open(tm).root().get("prices");
            assertEquals(Map.of("tea", 3L, "coffee", 4L), Map.copyOf(prices));
            tm.abort();
        }
    }

    @Test
    void aTransactionWhoseEarlierStatesAPackOfAnEarlierRunRemovedIsRefusedClearly() {
        Path dir = tmp.resolve("packed");
        long raise;
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("alice", c.create(Account.class, "alice", 100));
            tm.commit();
            ((Account) c.root().get("alice")).deposit(1);
            tm.get().note("raise");
            tm.commit();
            raise = db.storage().lastTid();
            tm.abort();
            c.close();
            db.pack(); // alice's first state is gone; the raise keeps its record, now alice's oldest
        }
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            UndoException e = assertThrows(UndoException.class, () -> db.undo(tm, raise));
            assertEquals(raise, e.tid());
            assertTrue(e.getMessage().contains("cannot undo transaction " + raise + ": a pack removed the states"
                    + " its objects had before it"), e.getMessage());
            tm.abort();
            assertTrue(db.undoLog(10).stream().noneMatch(t -> t.tid() <= raise),
                    "once a read met what the pack removed, the undo log no longer lists what it cannot undo");
        }
    }
}
