package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Savepoints of a connection's objects: what a savepoint keeps, what a rollback restores in place, what
 * happens to objects created after it, and how the cache may drop changed objects once they are saved.
 */
class SavepointTest {
    private final MemoryStorage storage = new MemoryStorage();
    private final Database db = Database.open(storage);
    private final TransactionManager tm = new TransactionManager(false);
    private final Connection conn = db.open(tm);

    @AfterEach
    void close() {
        tm.abort();
        db.close();
    }

    private Account committedAccount(String key, long balance) {
        Account a = conn.create(Account.class, key, balance);
        conn.root().put(key, a);
        tm.commit();
        return a;
    }

    private Account reread(String key) {
        return (Account) db.open(new TransactionManager(false)).root().get(key);
    }

    /** A persistent batch job whose method takes a savepoint every ten items, as batch jobs do. */
    public static class Batch {
        private final List<Account> accounts = new java.util.ArrayList<>();
        private int processed;

        public void add(Account a) {
            accounts.add(a);
        }

        public int process(TransactionManager tm, boolean commit) {
            for (Account a : accounts) {
                a.deposit(1);
                processed++;
                if (processed % 10 == 0) {
                    if (commit) {
                        tm.commit();
                    } else {
                        tm.savepoint();
                    }
                }
            }
            return accounts.size() + processed; // reads its fields after the last savepoint or commit
        }

        public int processed() {
            return processed;
        }

        public List<Account> accounts() {
            return accounts;
        }
    }

    private Batch committedBatch(int items) {
        Batch b = conn.create(Batch.class);
        for (int i = 0; i < items; i++) {
            b.add(conn.create(Account.class, "a" + i, 0L));
        }
        conn.root().put("batch", b);
        tm.commit();
        return b;
    }

    /**
     * What a method changes in its own object after a savepoint taken inside it is committed: the object
     * stays touched while its method runs, since later field writes reach no method entry (otherwise the
     * commit would keep the value of the first savepoint, 10 of 55).
     */
    @Test
    void changesAMethodMakesAfterASavepointItTookAreCommitted() {
        Batch b = committedBatch(55);
        assertEquals(110, b.process(tm, false));
        tm.commit();
        Batch again = (Batch) db.open(new TransactionManager(false)).root().get("batch");
        assertEquals(55, again.processed());
    }

    /**
     * The cache's gc at a savepoint or commit does not ghost an object whose method is running: its fields
     * stay loaded under the method (a ghosted list would read null).
     */
    @Test
    void aSavepointOrCommitInsideAMethodLeavesItsObjectLoaded() {
        Batch b = committedBatch(55);
        conn.setCacheSize(3);
        assertEquals(55 + 55, b.process(tm, false));
        tm.commit();
        assertEquals(55 + 110, b.process(tm, true), "gc after each commit spares the running method's object");
        tm.commit();
        Batch again = (Batch) db.open(new TransactionManager(false)).root().get("batch");
        assertEquals(110, again.processed(), "the last commit inside the method came after the last item");
        for (Account a : again.accounts()) {
            assertEquals(2, a.balance(), a.owner());
        }
    }

    /** A job that commits inside its method and then records that it is done. */
    public static class Job {
        private boolean done;

        public void finish(TransactionManager tm) {
            tm.commit();
            done = true; // after the commit: belongs to the next transaction
        }

        public boolean done() {
            return done;
        }
    }

    @Test
    void aChangeAMethodMakesAfterCommittingInsideItGoesWithTheNextTransaction() {
        Job j = conn.create(Job.class);
        conn.root().put("j", j);
        tm.commit();
        j.finish(tm);
        conn.root().put("other", 1); // the connection joins its next transaction
        tm.commit();
        assertTrue(((Job) db.open(new TransactionManager(false)).root().get("j")).done());
    }

    @Test
    void rollbackRestoresStateInPlaceAndCanBeRepeated() {
        Account a = committedAccount("a", 1);
        a.deposit(10);
        Savepoint sp = tm.savepoint();
        a.deposit(100);
        a.history().add("extra");
        sp.rollback();
        assertEquals(11, a.balance(), "the application's reference sees the savepoint's state");
        assertEquals(List.of("deposit 10"), a.history());
        a.deposit(1000);
        sp.rollback();
        assertEquals(11, a.balance(), "a savepoint can be rolled back to again");
        tm.commit();
        assertEquals(11, reread("a").balance());
    }

    @Test
    void rollbackToAnEarlierSavepointRestoresItsState() {
        Account a = committedAccount("a", 0);
        a.deposit(1);
        Savepoint first = tm.savepoint();
        a.deposit(2);
        tm.savepoint();
        a.deposit(4);
        first.rollback();
        assertEquals(1, a.balance());
        tm.commit();
        assertEquals(1, reread("a").balance());
    }

    @Test
    void objectsAddedAfterASavepointAreDisownedByRollbackAndCanBeAddedAgain() {
        Account a = committedAccount("a", 0);
        Savepoint sp = tm.savepoint();
        Account b = conn.create(Account.class, "b", 2L);
        a.setPartner(b);
        tm.savepoint();
        long firstOid = Persistence.oid(b).getAsLong();
        sp.rollback();
        assertTrue(Persistence.oid(b).isEmpty(), "created after the savepoint: no oid any more");
        assertEquals(null, a.partner());
        a.setPartner(b); // added again
        tm.commit();
        long secondOid = Persistence.oid(b).getAsLong();
        assertNotEquals(firstOid, secondOid, "a new oid");
        assertEquals("b:2", reread("a").partner().toString());
    }

    @Test
    void changesAfterTheLastSavepointAreCommittedToo() {
        Account a = committedAccount("a", 0);
        Account b = committedAccount("b", 0);
        a.deposit(1);
        tm.savepoint();
        a.deposit(2);
        b.deposit(3);
        long before = storage.lastTid();
        tm.commit();
        assertEquals(before + 1, storage.lastTid(), "one transaction");
        assertEquals(3, reread("a").balance());
        assertEquals(3, reread("b").balance());
    }

    @Test
    void abortAfterASavepointRestoresCommittedStateAndForgetsNewObjects() {
        Account a = committedAccount("a", 5);
        Account b = conn.create(Account.class, "b", 0L);
        a.setPartner(b);
        a.deposit(1);
        tm.savepoint();
        b.deposit(7); // added in the savepoint, changed afterwards
        tm.abort();
        assertEquals(5, a.balance());
        assertEquals(null, a.partner());
        assertTrue(Persistence.oid(b).isEmpty());
        assertEquals(5, reread("a").balance());
    }

    @Test
    void savepointLetsTheCacheDropChangedObjects() {
        conn.setCacheSize(10);
        PersistentList<Account> list = new PersistentList<>();
        conn.root().put("list", list);
        for (int i = 0; i < 100; i++) {
            list.add(conn.create(Account.class, "n" + i, (long) i));
        }
        tm.commit();
        for (Account a : list) {
            a.deposit(1);
        }
        tm.savepoint();
        assertTrue(conn.cacheLoadedCount() <= 10, "changed objects were ghosted: " + conn.cacheLoadedCount());
        assertEquals(100, list.get(99).balance(), "a ghosted changed object reloads its savepoint state");
        tm.commit();
        List<?> stored = (List<?>) db.open(new TransactionManager(false)).root().get("list");
        assertEquals(51, ((Account) stored.get(50)).balance());
    }

    @Test
    void anObjectDisownedByRollbackKeepsItsLatestStateEvenIfItWasGhosted() {
        conn.setCacheSize(0);
        Account a = committedAccount("a", 0);
        Savepoint sp = tm.savepoint();
        Account b = conn.create(Account.class, "b", 2L);
        b.deposit(3);
        a.setPartner(b);
        tm.savepoint(); // b is written, then ghosted by the cache (size 0)
        sp.rollback();
        assertTrue(Persistence.oid(b).isEmpty());
        assertEquals(5, b.balance(), "a plain object again, with the state it had");
    }

    @Test
    void rollbackKeepsIdentityOfPersistentObjects() {
        Account a = committedAccount("a", 0);
        Savepoint sp = tm.savepoint();
        a.deposit(3);
        sp.rollback();
        assertSame(a, conn.root().get("a"));
        assertEquals(0, a.balance());
    }
}
