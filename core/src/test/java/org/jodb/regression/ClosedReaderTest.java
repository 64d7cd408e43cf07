package org.jodb.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jodb.Account;
import org.jodb.ConflictException;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection closed while its transaction (with reads only) is still open goes back to the pool; the
 * next connection that takes it must work for its own transaction, not the dead one (found while writing
 * the errors scenario: the next commit wrote nothing and a conflict went unnoticed).
 */
class ClosedReaderTest {
    private final Database db = Database.inMemory();

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aPooledConnectionClosedInsideAReadOnlyTransactionCommitsForItsNextManager() {
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

    @Test
    void aPooledConnectionStillDetectsConflicts() {
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
