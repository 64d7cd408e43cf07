package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jodb.internal.object.ObjectStatus;
import org.jodb.internal.object.PersistentObject;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Snapshots, conflicts and merges between connections: each transaction reads one snapshot, which moves only
 * at a transaction boundary; concurrent writes of one object conflict unless they can be merged; readCurrent
 * makes a commit fail when an object it only read has changed.
 */
class ConcurrencyTest extends TwoConnections {
    private void setUp(long balance) {
        c1.root().put("a", c1.create(Account.class, "a", balance));
        tm1.commit();
        tm2.begin(); // c2 sees the account from its next transaction on
    }

    @Test
    void commitsOfOthersBecomeVisibleAtTheNextBoundaryOnly() {
        setUp(1);
        Account seen = (Account) c2.root().get("a");
        assertEquals(1, seen.balance());
        ((Account) c1.root().get("a")).deposit(10);
        tm1.commit();
        assertEquals(1, seen.balance(), "the snapshot is fixed until the transaction ends");
        tm2.savepoint();
        assertEquals(1, seen.balance(), "a savepoint is not a boundary");
        tm2.abort();
        assertEquals(11, seen.balance(), "same instance, invalidated and reloaded at the boundary");
        assertSame(seen, c2.root().get("a"));
    }

    private static ObjectStatus status(Object o) {
        return ((PersistentObject) o).$jodbState().status();
    }

    @Test
    void commitIsABoundaryAndGhostsWhatOthersChanged() {
        setUp(1);
        Account seen = (Account) c2.root().get("a");
        assertEquals(1, seen.balance());
        c2.root().put("mine", "x"); // c2 has a transaction of its own to commit
        ((Account) c1.root().get("a")).deposit(10);
        tm1.commit();
        assertEquals(ObjectStatus.TOUCHED, status(seen), "no invalidation inside the transaction");
        tm2.commit();
        assertEquals(ObjectStatus.GHOST, status(seen), "the commit boundary ghosted the object c1 changed");
        assertEquals(11, seen.balance());
    }

    @Test
    void beginIsABoundary() {
        setUp(1);
        Account seen = (Account) c2.root().get("a");
        assertEquals(1, seen.balance());
        ((Account) c1.root().get("a")).deposit(10);
        tm1.commit();
        tm2.begin(); // implicit mode: begin aborts the current transaction and starts a new one
        assertEquals(11, seen.balance());
    }

    @Test
    void syncOutsideATransactionIsABoundaryAndInsideOneIsRefused() {
        TransactionManager explicit = new TransactionManager(true);
        explicit.begin();
        Connection c3 = db.open(explicit);
        c3.root().put("a", c3.create(Account.class, "a", 1L));
        explicit.commit();
        Account seen = (Account) c3.root().get("a"); // read between transactions
        assertEquals(1, seen.balance());
        tm1.begin();
        ((Account) c1.root().get("a")).deposit(10);
        tm1.commit();
        assertEquals(1, seen.balance(), "no boundary yet");
        c3.sync();
        assertEquals(ObjectStatus.GHOST, status(seen));
        assertEquals(11, seen.balance());
        explicit.begin();
        seen.deposit(1);
        assertThrows(IllegalStateException.class, c3::sync);
        explicit.abort();
    }

    @Test
    void savepointIsNotABoundaryNorIsItsRollback() {
        setUp(1);
        Account seen = (Account) c2.root().get("a");
        seen.deposit(1);
        ((Account) c1.root().get("a")).deposit(10);
        tm1.commit();
        var sp = tm2.savepoint();
        assertEquals(2, seen.balance(), "a savepoint applies no invalidation");
        seen.deposit(1);
        sp.rollback();
        assertEquals(2, seen.balance(), "rollback restores the savepoint's state, still in the old snapshot");
        assertEquals(1, ((Account) c2.root().get("a")).history().size());
        assertThrows(ConflictException.class, tm2::commit, "the write is checked against the old snapshot");
        tm2.abort();
        assertEquals(11, seen.balance());
    }

    @Test
    void runRetriesARealConflictAndGivesUpAfterTheLastAttempt() {
        setUp(1);
        AtomicInteger attempts = new AtomicInteger();
        ConflictException e = assertThrows(ConflictException.class, () -> tm2.run(3, () -> {
            attempts.incrementAndGet();
            Account mine = (Account) c2.root().get("a");
            mine.balance();
            ((Account) c1.root().get("a")).deposit(10); // another transaction commits meanwhile
            tm1.commit();
            mine.deposit(5);
        }));
        assertEquals(3, attempts.get(), "three attempts, each aborted");
        assertEquals(Persistence.oid(c2.root().get("a")).getAsLong(), e.oid());
        assertTrue(tm2.current().isEmpty(), "run aborted the last attempt");
        Account a = (Account) c2.root().get("a");
        assertEquals(31, a.balance(), "only the other transaction's three deposits committed");
        assertEquals(3, a.history().size());
    }

    @Test
    void runSucceedsOnTheAttemptAfterAConflict() {
        setUp(1);
        AtomicInteger attempts = new AtomicInteger();
        tm2.run(3, () -> {
            Account mine = (Account) c2.root().get("a");
            mine.balance();
            if (attempts.incrementAndGet() == 1) {
                ((Account) c1.root().get("a")).deposit(10);
                tm1.commit();
            }
            mine.deposit(5);
        });
        assertEquals(2, attempts.get());
        tm1.begin();
        assertEquals(16, ((Account) c1.root().get("a")).balance());
    }

    @Test
    void ghostsLoadedLaterStillReadTheSnapshot() {
        setUp(1);
        c2.root(); // fixes nothing by itself: the snapshot is the one of the last boundary
        ((Account) c1.root().get("a")).deposit(10);
        tm1.commit();
        assertEquals(1, ((Account) c2.root().get("a")).balance(), "loaded after the commit, read as of the snapshot");
    }

    @Test
    void writeConflictNamesOidClassAndSerials() {
        setUp(1);
        Account mine = (Account) c2.root().get("a");
        ((Account) c1.root().get("a")).deposit(10);
        tm1.commit();
        mine.deposit(5);
        ConflictException e = assertThrows(ConflictException.class, tm2::commit);
        assertEquals(Persistence.oid(mine).getAsLong(), e.oid());
        assertEquals(Account.class.getName(), e.className());
        assertTrue(e.currentSerial() > e.readSerial());
        tm2.abort();
        assertEquals(11, mine.balance());
    }

    @Test
    void readCurrentFailsTheCommitWhenTheObjectChanged() {
        setUp(1);
        Account read = (Account) c2.root().get("a");
        read.balance();
        c2.readCurrent(read);
        c2.root().put("note", "based on a");
        ((Account) c1.root().get("a")).deposit(10);
        tm1.commit();
        assertThrows(ReadConflictException.class, tm2::commit);
        tm2.abort();
    }

    @Test
    void readCurrentOnAGhostRecordsNothing() {
        setUp(1);
        c2.cacheMinimize();
        Account ghost = (Account) c2.root().get("a");
        c2.cacheMinimize();
        c2.readCurrent(ghost);
        ((Account) c1.root().get("a")).deposit(10);
        tm1.commit();
        c2.root().put("note", "x");
        tm2.commit();
    }

    @Test
    void concurrentInsertsOfDifferentKeysIntoOneMapBothCommit() {
        c1.root().put("map", new PersistentMap<String, Integer>());
        tm1.commit();
        tm2.begin();
        @SuppressWarnings("unchecked")
        Map<String, Integer> m1 = (Map<String, Integer>) c1.root().get("map");
        @SuppressWarnings("unchecked")
        Map<String, Integer> m2 = (Map<String, Integer>) c2.root().get("map");
        m2.size();
        m1.put("one", 1);
        tm1.commit();
        m2.put("two", 2);
        tm2.commit();
        tm1.begin();
        assertEquals(Map.of("one", 1, "two", 2), Map.copyOf(m1));
        assertEquals(Map.of("one", 1, "two", 2), Map.copyOf(m2), "the merged state reloads after commit");
    }

    @Test
    void concurrentChangesOfTheSameKeyConflict() {
        c1.root().put("map", new PersistentMap<>(Map.of("k", 0)));
        tm1.commit();
        tm2.begin();
        @SuppressWarnings("unchecked")
        Map<String, Integer> m2 = (Map<String, Integer>) c2.root().get("map");
        m2.size();
        @SuppressWarnings("unchecked")
        Map<String, Integer> m1 = (Map<String, Integer>) c1.root().get("map");
        m1.put("k", 1);
        tm1.commit();
        m2.put("k", 2);
        assertThrows(ConflictException.class, tm2::commit);
        tm2.abort();
    }

    @Test
    void explicitModeReadsOutsideATransactionAndDropsChangesMadeThere() {
        TransactionManager explicit = new TransactionManager(true);
        explicit.begin();
        Connection c = db.open(explicit);
        Account a = c.create(Account.class, "x", 1L);
        c.root().put("x", a);
        explicit.commit();
        assertEquals(1, a.balance(), "reading between transactions works");
        a.deposit(5); // belongs to no transaction
        explicit.begin();
        assertEquals(1, a.balance(), "the change made outside was dropped at begin");
        a.deposit(1);
        explicit.commit();
        assertEquals(2, ((Account) db.open(new TransactionManager(false)).root().get("x")).balance());
    }
}
