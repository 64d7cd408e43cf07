package org.jodb.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
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
}
