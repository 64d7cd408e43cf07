package org.jodb.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.spi.MemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seen from the transaction: a connection joins lazily, at the first call on one
 * of its objects, and once per transaction however many objects and calls, savepoints and rollbacks
 * follow; a rollback of a savepoint taken before it joined takes it out, and its next call joins again.
 */
class ConnectionJoinTest {
    private final Database db = Database.open(new MemoryStorage());
    private final TransactionManager tm = new TransactionManager();
    private final Connection conn = db.open(tm);

    @AfterEach
    void close() {
        tm.abort();
        db.close();
    }

    private int joins() {
        return ((RealTransaction) tm.get()).resources().size();
    }

    @Test
    void aConnectionJoinsAtItsFirstCallAndOnlyOnce() {
        Account a = conn.create(Account.class, "a", 1L);
        Account b = conn.create(Account.class, "b", 1L);
        conn.root().put("a", a);
        conn.root().put("b", b);
        tm.commit();
        assertEquals(0, joins(), "no call yet in this transaction");
        a.balance();
        assertEquals(1, joins());
        a.deposit(1);
        b.deposit(1);
        conn.root().put("c", 3);
        Savepoint sp = tm.savepoint();
        a.deposit(1);
        sp.rollback();
        b.deposit(1);
        assertEquals(1, joins());
        tm.commit();
        assertEquals(0, joins());
    }

    @Test
    void rollingBackASavepointTakenBeforeTheJoinTakesTheConnectionOutUntilItsNextCall() {
        Account a = conn.create(Account.class, "a", 1L);
        conn.root().put("a", a);
        tm.commit();
        Savepoint before = tm.savepoint();
        a.deposit(1);
        assertEquals(1, joins());
        before.rollback();
        assertEquals(0, joins());
        a.deposit(2);
        assertEquals(1, joins());
        tm.commit();
        assertEquals(3, a.balance());
    }

    @Test
    void readingInAFailedTransactionDoesNotJoinAndAContainerWriteIsRefused() {
        Account a = conn.create(Account.class, "a", 1L);
        conn.root().put("a", a);
        tm.commit();
        a.deposit(1);
        tm.get().join(SampleDataManager.withoutSavepoints("nosp", tm, new java.util.ArrayList<>()));
        assertThrows(SavepointsUnsupportedException.class, tm::savepoint);
        int joined = joins(); // both stay listed (as in ZODB); the connection's work was aborted at once
        assertEquals(1, a.balance());
        conn.root().get("a");
        assertEquals(joined, joins(), "reads do not join a failed transaction");
        assertThrows(TransactionFailedException.class, () -> conn.root().put("b", 2));
        assertThrows(TransactionFailedException.class, () -> org.jodb.Persistence.markChanged(a));
        tm.abort();
        a.deposit(1);
        assertEquals(1, joins());
        tm.commit();
        assertEquals(2, a.balance());
    }
}
