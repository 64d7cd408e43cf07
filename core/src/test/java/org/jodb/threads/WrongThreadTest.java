package org.jodb.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.PersistentMap;
import org.jodb.internal.object.ObjectStatus;
import org.jodb.internal.object.PersistentObject;
import org.jodb.transaction.TransactionManager;
import org.jodb.transaction.Transactions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A connection and its objects belong to the thread of the connection's transaction manager: a call from
 * another thread fails at once, naming both threads, and leaves the owner's transaction usable. Before,
 * such a call silently started a transaction of the calling thread in the owner's manager, which the owner
 * could then neither abort nor close its connection under.
 */
class WrongThreadTest {
    private static final String OWNER = "jodb-owner";

    private final Database db = Database.inMemory();
    private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> new Thread(r, OWNER));
    private Connection conn;

    @AfterEach
    void tearDown() {
        owner.shutdownNow();
        db.close();
    }

    private <T> T onOwner(Callable<T> work) throws Exception {
        try {
            return owner.submit(work).get();
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /** The owner thread opens a connection on its thread's manager and commits an account under "a". */
    private Account committedAccount() throws Exception {
        return onOwner(() -> {
            conn = db.open();
            Account a = conn.create(Account.class, "a", 1L);
            conn.root().put("a", a);
            Transactions.commit();
            return a;
        });
    }

    private static void assertRefused(Executable call) {
        IllegalStateException refused = assertThrows(IllegalStateException.class, call);
        String message = refused.getMessage();
        assertTrue(message.contains("serving thread '" + OWNER + "'"), message);
        assertTrue(message.contains("used from thread '" + Thread.currentThread().getName() + "'"), message);
        assertTrue(message.contains("open a connection of its own"), message);
    }

    private static ObjectStatus status(Object o) {
        return ((PersistentObject) o).$jodbState().status();
    }

    @Test
    void aCallBetweenTheOwnersTransactionsFailsAndTheOwnerCanStillAbortAndClose() throws Exception {
        Account account = committedAccount();
        IllegalStateException refused = assertThrows(IllegalStateException.class, account::balance);
        assertTrue(refused.getMessage().startsWith("a " + Account.class.getName() + " of a connection serving"
                + " thread '" + OWNER + "' was used from thread '" + Thread.currentThread().getName() + "'"),
                refused.getMessage());
        assertEquals(1L, onOwner(() -> {
            assertFalse(Transactions.isActive(), "the refused call started no transaction");
            Transactions.abort();
            long balance = account.balance();
            conn.close();
            return balance;
        }));
    }

    @Test
    void aCallInsideTheOwnersTransactionFailsAndTheOwnerCommitsItsOwnChangesOnly() throws Exception {
        Account account = committedAccount();
        onOwner(() -> {
            account.deposit(10);
            return null;
        });
        assertEquals(ObjectStatus.TOUCHED, status(account));
        assertRefused(() -> account.deposit(1000));
        assertRefused(account::balance);
        onOwner(() -> {
            Transactions.commit();
            return null;
        });
        assertEquals(11L, onOwner(() -> ((Account) db.open(new TransactionManager()).root().get("a")).balance()));
    }

    @Test
    void aGhostIsNotLoadedFromAnotherThread() throws Exception {
        Account account = committedAccount();
        onOwner(() -> {
            conn.cacheMinimize();
            return null;
        });
        assertEquals(ObjectStatus.GHOST, status(account));
        assertRefused(account::owner);
        assertEquals(ObjectStatus.GHOST, status(account), "still a ghost: the refused call loaded nothing");
        assertEquals("a", onOwner(account::owner));
    }

    @Test
    void markChangedAndContainerCallsAreRefusedToo() throws Exception {
        Account account = committedAccount();
        PersistentMap<String, Object> root = onOwner(() -> conn.root());
        assertRefused(() -> Persistence.markChanged(account));
        assertRefused(() -> root.put("b", "x"));
        assertRefused(() -> root.get("a"));
        assertRefused(root::size);
        assertEquals(Map.of("a", account), onOwner(() -> {
            Transactions.commit();
            return Map.copyOf(conn.root());
        }), "the owner's transaction had nothing from the refused calls");
    }

    @Test
    void theConnectionsOwnOperationsAreRefused() throws Exception {
        Account account = committedAccount();
        long oid = Persistence.oid(account).orElseThrow();
        assertRefused(conn::root);
        assertRefused(() -> conn.get(oid));
        assertRefused(() -> conn.create(Account.class, "b", 2L));
        assertRefused(conn::sync);
        assertSame(account, onOwner(() -> conn.get(oid)));
    }

    @Test
    void objectsOfAThreadThatEndedMayBeUsedByTheNext() throws Exception {
        Account[] made = new Account[1];
        Thread ended = new Thread(() -> {
            conn = db.open();
            made[0] = conn.create(Account.class, "a", 1L);
            conn.root().put("a", made[0]);
            Transactions.commit();
        }, OWNER);
        ended.start();
        ended.join();
        made[0].deposit(5); // the next transaction of the manager starts on this thread, and takes it over
        assertSame(Thread.currentThread(), conn.transactionManager().thread());
        conn.transactionManager().commit();
        TransactionManager reader = new TransactionManager();
        assertEquals(6L, ((Account) db.open(reader).root().get("a")).balance());
        reader.abort();
    }

    @Test
    void aManagerMovesToTheThreadThatStartsItsNextTransaction() throws Exception {
        TransactionManager tm = new TransactionManager();
        assertEquals(null, tm.thread(), "a new manager serves no thread yet");
        Connection c = db.open(tm);
        Account account = c.create(Account.class, "a", 1L);
        c.root().put("a", account); // the first transaction starts on this thread
        tm.commit();
        assertSame(Thread.currentThread(), tm.thread());
        onOwner(() -> {
            tm.begin(); // between transactions, another thread takes the manager over
            account.deposit(1);
            return null;
        });
        assertRefused(account::balance);
        onOwner(() -> {
            tm.commit();
            return null;
        });
        assertRefused(account::balance);
        tm.begin(); // and this thread takes it back
        assertEquals(2L, account.balance());
        tm.abort();
    }

    /**
     * The thread a manager served before is refused as soon as another thread took the manager over, not only
     * once the new thread happened to call one of the connection's objects (before, the connection's copy of
     * the serving thread stayed the old one until then, and the old thread's calls went straight on).
     */
    @Test
    void theThreadServedBeforeIsRefusedOnceAnotherTookTheManagerOver() throws Exception {
        TransactionManager tm = new TransactionManager();
        Connection c = db.open(tm);
        PersistentMap<String, Object> root = c.root();
        Account account = c.create(Account.class, "a", 1L);
        root.put("a", account);
        tm.commit(); // this thread served the manager
        assertSame(root, c.root()); // and the connection knows it
        onOwner(() -> {
            tm.begin(); // the owner takes it over and calls nothing of the connection yet
            return null;
        });
        assertRefused(() -> root.get("a"));
        assertRefused(root::size);
        assertRefused(c::root);
        assertRefused(account::balance);
        assertEquals(1L, onOwner(() -> {
            long balance = account.balance();
            tm.abort();
            return balance;
        }));
    }

    @Test
    void aPooledConnectionServesTheThreadThatOpenedItAgain() throws Exception {
        Account account = committedAccount();
        onOwner(() -> {
            conn.close();
            return null;
        });
        Connection again = db.open(); // the pooled connection, with its cache, now serves this thread
        assertSame(account, again.root().get("a"));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> onOwner(account::balance));
        assertTrue(refused.getMessage().contains("serving thread '" + Thread.currentThread().getName()
                + "' was used from thread '" + OWNER + "'"), refused.getMessage());
        assertEquals(1L, account.balance());
        Transactions.abort();
        again.close();
    }
}
