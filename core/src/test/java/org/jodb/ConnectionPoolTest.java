package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/** A closed connection goes back to the database's pool; what it carries there must not leak into its next use. */
class ConnectionPoolTest {

    /**
     * A connection closed while joined (without changes) to one manager's transaction and handed by the pool
     * to another manager joins the new manager's transaction: that manager's commit writes the change, and
     * the first manager's abort afterwards does not throw it away.
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
     * A connection read, closed and opened again on the same manager inside one transaction (a thread that
     * serves a read and then a write with the thread's implicit manager) is in that transaction once: its
     * change commits, and its storage transaction is begun and voted once.
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

    /**
     * A connection closed while its transaction has only read goes back to the pool; the manager that takes
     * it next commits through it, and the old transaction ending later does not disturb the new owner.
     */
    @Test
    void aPooledConnectionClosedInsideAReadOnlyTransactionCommitsForItsNextManager() {
        try (Database db = Database.inMemory()) {
            TransactionManager setup = new TransactionManager(false);
            Connection conn = db.open(setup);
            conn.root().put("a", conn.create(Account.class, "ann", 0L));
            setup.commit();

            TransactionManager readerManager = new TransactionManager(false);
            Connection reader = db.open(readerManager);
            assertEquals(0L, ((Account) reader.root().get("a")).balance());
            reader.close(); // its transaction stays open: it only read

            TransactionManager alice = new TransactionManager(false);
            Connection aliceConn = db.open(alice); // takes the pooled session
            ((Account) aliceConn.root().get("a")).deposit(5);
            alice.commit();

            TransactionManager check = new TransactionManager(false);
            assertEquals(5L, ((Account) db.open(check).root().get("a")).balance());
            check.abort();

            // the reader's old transaction ending later must not disturb the session's new owner
            readerManager.commit();
            ((Account) aliceConn.root().get("a")).deposit(1);
            alice.commit();
            TransactionManager check2 = new TransactionManager(false);
            assertEquals(6L, ((Account) db.open(check2).root().get("a")).balance());
            check2.abort();
        }
    }

    /** A connection taken from the pool after such a close still detects write conflicts. */
    @Test
    void aPooledConnectionStillDetectsConflicts() {
        try (Database db = Database.inMemory()) {
            TransactionManager setup = new TransactionManager(false);
            Connection conn = db.open(setup);
            conn.root().put("a", conn.create(Account.class, "ann", 0L));
            setup.commit();

            TransactionManager readerManager = new TransactionManager(false);
            Connection reader = db.open(readerManager);
            ((Account) reader.root().get("a")).balance();
            reader.close();

            TransactionManager alice = new TransactionManager(false);
            TransactionManager bob = new TransactionManager(false);
            Account viaAlice = (Account) db.open(alice).root().get("a");
            Account viaBob = (Account) db.open(bob).root().get("a");
            viaAlice.deposit(1);
            viaBob.deposit(1);
            alice.commit();
            assertThrows(ConflictException.class, bob::commit);
            bob.abort();
        }
    }
}
