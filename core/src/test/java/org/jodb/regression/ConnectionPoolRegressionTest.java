package org.jodb.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/** A closed connection goes back to the database's pool; what it carries there must not leak into its next use. */
class ConnectionPoolRegressionTest {

    /**
     * Expected: a change made through a connection opened on manager tm2 is committed by tm2.commit().
     * Actual: the pooled session was closed while still joined (without changes) to tm1's transaction;
     * Session.close leaves {@code joined} set, Database.open hands the session to tm2, and its first
     * method call does not join tm2's transaction (join() sees joined != null). tm2.commit() writes
     * nothing and returns normally; tm1.abort() then throws the change away: a silently lost commit.
     */
    @Test
    void connectionReusedFromThePoolCommitsThroughItsNewManager() {
        try (Database db = Database.inMemory()) {
            TransactionManager setup = new TransactionManager(false);
            Connection c0 = db.open(setup);
            c0.root().put("a", c0.create(Account.class, "a", 0L));
            setup.commit();
            c0.close();

            TransactionManager tm1 = new TransactionManager(false);
            Connection c1 = db.open(tm1);
            ((Account) c1.root().get("a")).balance(); // a method call joins tm1's transaction; nothing changes
            c1.close(); // allowed: the transaction has no changes of this connection

            TransactionManager tm2 = new TransactionManager(false);
            Connection c2 = db.open(tm2); // the pool hands back the same session
            ((Account) c2.root().get("a")).deposit(5);
            tm2.commit();
            tm1.abort();

            TransactionManager tm3 = new TransactionManager(false);
            assertEquals(5, ((Account) db.open(tm3).root().get("a")).balance(), "tm2's acknowledged commit");
            tm3.abort();
        }
    }

    /**
     * Expected: a connection read, closed and opened again on the same manager inside one transaction (a
     * thread that serves a read and then a write with the thread's implicit manager) commits its change.
     * Actual: the pooled session left the transaction only in its own bookkeeping; the transaction still
     * listed it, its next change joined it a second time, and commit began and voted its storage
     * transaction twice: IllegalStateException "vote twice" from the storage, and the commit failed.
     */
    @Test
    void connectionReopenedInsideTheTransactionItWasClosedInCommitsOnce() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c0 = db.open(tm);
            c0.root().put("a", c0.create(Account.class, "a", 0L));
            tm.commit();
            ((Account) c0.root().get("a")).balance(); // joins tm's transaction, reads only
            c0.close();

            Connection c1 = db.open(tm); // the pool hands back the same session, in the same transaction
            ((Account) c1.root().get("a")).deposit(5);
            tm.commit();

            TransactionManager reader = new TransactionManager(false);
            assertEquals(5, ((Account) db.open(reader).root().get("a")).balance());
            reader.abort();
        }
    }

    /** A savepoint taken before the close still rolls back what the reopened connection changed. */
    @Test
    void savepointTakenBeforeTheCloseRollsBackChangesMadeAfterTheReopen() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c0 = db.open(tm);
            c0.root().put("a", c0.create(Account.class, "a", 1L));
            tm.commit();
            ((Account) c0.root().get("a")).balance();
            Savepoint before = tm.savepoint();
            c0.close();

            Connection c1 = db.open(tm);
            Account a = (Account) c1.root().get("a");
            a.deposit(5);
            Savepoint after = tm.savepoint();
            a.deposit(7);
            after.rollback();
            assertEquals(6, a.balance());
            before.rollback();
            assertEquals(1, a.balance(), "rolled back to before the reopen");
            a.deposit(100);
            tm.commit();

            TransactionManager reader = new TransactionManager(false);
            assertEquals(101, ((Account) db.open(reader).root().get("a")).balance());
            reader.abort();
        }
    }
}
