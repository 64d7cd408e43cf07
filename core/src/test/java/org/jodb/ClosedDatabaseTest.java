package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jodb.transaction.TransactionManager;
import org.jodb.transaction.TransactionStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A database closed under an open connection, in the middle of a transaction with changes: every use of the
 * connection and of its objects that needs the database is refused with an {@link IllegalStateException}
 * that says the database was closed (the connection's own methods used to tell the user to open a new
 * connection with Database.open(), which the closed database refuses too); the transaction can still be
 * aborted, and the manager goes on.
 */
class ClosedDatabaseTest {

    @Test
    void everyUseOfAConnectionOfAClosedDatabaseSaysToOpenTheDatabaseAgain() {
        Database db = Database.inMemory();
        TransactionManager tm = new TransactionManager();
        Connection c = db.open(tm);
        tm.begin();
        Account loaded = c.create(Account.class, "loaded", 1L);
        Account ghost = c.create(Account.class, "ghost", 2L);
        c.root().put("loaded", loaded);
        c.root().put("ghost", ghost);
        tm.commit();
        tm.begin();
        c.cacheMinimize();
        loaded.deposit(5); // joined, with a change
        db.close();

        Map<String, Executable> uses = new LinkedHashMap<>();
        uses.put("root", c::root);
        uses.put("get", () -> c.get(0));
        uses.put("create", () -> c.create(Account.class, "new", 3L));
        uses.put("readCurrent", () -> c.readCurrent(loaded));
        uses.put("sync", c::sync);
        uses.put("cacheMinimize", c::cacheMinimize);
        uses.put("a ghost's method", ghost::balance);
        uses.put("savepoint", tm::savepoint);
        for (Map.Entry<String, Executable> use : uses.entrySet()) {
            Throwable e = assertThrows(RuntimeException.class, use.getValue(), use.getKey());
            while (!(e instanceof IllegalStateException) && e.getCause() != null) {
                e = e.getCause(); // the savepoint wraps it in the transaction's failure
            }
            assertTrue(e instanceof IllegalStateException && e.getMessage().contains("database was closed"),
                    use.getKey() + ": " + e);
        }
        assertTrue(c.isClosed());
        assertEquals(TransactionStatus.COMMIT_FAILED, tm.get().status(), "the failed savepoint failed it");
        tm.abort();
        assertFalse(tm.isActive());
        tm.begin(); // the released connection, still a synchronizer of the manager, does not get in the way
        tm.commit();
        c.close();
        IllegalStateException refused = assertThrows(IllegalStateException.class, db::open);
        assertTrue(refused.getMessage().contains("database closed"), refused.getMessage());
        db.close(); // idempotent
    }

    @Test
    void aTransactionWhoseDatabaseClosedUnderItFailsToCommitSayingSoAndAborts() {
        Database db = Database.inMemory();
        TransactionManager tm = new TransactionManager();
        Connection c = db.open(tm);
        tm.begin();
        Account a = c.create(Account.class, "a", 1L);
        c.root().put("a", a);
        tm.commit();
        tm.begin();
        a.deposit(5);
        db.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, tm::commit);
        assertTrue(e.getMessage().contains("database was closed"), e.getMessage());
        tm.abort();
        assertFalse(tm.isActive());
    }
}
