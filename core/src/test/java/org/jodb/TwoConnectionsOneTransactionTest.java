package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Two connections of one database joined to the same transaction (two {@code db.open(tm)} on one
 * manager): a commit with changes through both is refused clearly and loses nothing, as ZODB refuses
 * ("Duplicate tpc_begin calls for same transaction"); two storage transactions of one thread must never
 * share a tid, or one record would replace the other and other connections would keep reading stale state.
 * A second connection that only reads does not stop the commit.
 */
class TwoConnectionsOneTransactionTest {
    private final MemoryStorage storage = new MemoryStorage();

    @Test
    void changesThroughTwoConnectionsInOneTransactionAreRefusedAndLoseNothing() {
        try (Database db = Database.open(storage)) {
            TransactionManager watcherTm = new TransactionManager(false);
            Connection watcher = db.open(watcherTm);
            watcher.root().put("a", watcher.create(Account.class, "a", 0L));
            watcher.root().put("b", watcher.create(Account.class, "b", 0L));
            watcherTm.commit();
            Account a0 = (Account) watcher.root().get("a");
            Account b0 = (Account) watcher.root().get("b");
            assertEquals(0, a0.balance() + b0.balance());
            watcherTm.commit();

            TransactionManager tm = new TransactionManager(false);
            Connection c1 = db.open(tm);
            Connection c2 = db.open(tm);
            Account a1 = (Account) c1.root().get("a");
            a1.deposit(1);
            ((Account) c2.root().get("b")).deposit(2);
            long before = storage.lastTid();
            IllegalStateException refused = assertThrows(IllegalStateException.class, tm::commit);
            assertTrue(refused.getMessage().contains("two connections"), refused.getMessage());
            tm.abort();
            assertEquals(before, storage.lastTid(), "nothing was committed");
            assertEquals(0, a1.balance(), "the abort restored the object");

            a1.deposit(5); // one connection alone commits as usual, and the others hear of it
            tm.commit();
            watcherTm.begin();
            assertEquals(5, a0.balance());
            assertEquals(0, b0.balance());
        }
    }

    @Test
    void twoDatabasesOpenedOnOneStorageAreRefusedToo() {
        try (Database db = Database.open(storage)) {
            Database again = Database.open(storage); // shares the storage; closing db closes it
            TransactionManager tm = new TransactionManager(false);
            db.open(tm).root().put("a", 1);
            again.open(tm).root().put("b", 2);
            long before = storage.lastTid();
            assertThrows(IllegalStateException.class, tm::commit);
            tm.abort();
            assertEquals(before, storage.lastTid());
            db.open(tm).root().put("a", 1);
            tm.commit();
            assertEquals(before + 1, storage.lastTid(), "the refusal left nothing registered behind");
        }
    }

    @Test
    void aSecondConnectionThatOnlyReadsDoesNotStopTheCommit() {
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c1 = db.open(tm);
            Connection c2 = db.open(tm);
            c1.root().put("a", c1.create(Account.class, "a", 1L));
            assertEquals(0, c2.root().size(), "c2 only reads");
            tm.commit();
            assertEquals(1, ((Account) c2.root().get("a")).balance());
        }
    }
}
