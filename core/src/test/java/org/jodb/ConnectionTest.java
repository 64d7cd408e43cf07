package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection: its root, persistence by reachability, one instance per oid, abort, historical connections,
 * close while joined, and what hooks may do with its objects.
 */
class ConnectionTest {
    private final MemoryStorage storage = new MemoryStorage();
    private final Database db = Database.open(storage);
    private final TransactionManager tm = new TransactionManager(false);

    @AfterEach
    void close() {
        tm.abort();
        db.close();
    }

    @Test
    void rootIsCreatedOnFirstOpenInItsOwnTransaction() {
        assertNotNull(storage.load(Storage.ROOT_OID));
        assertEquals("initial database creation", storage.history(Storage.ROOT_OID, 1).get(0).note());
        Connection conn = db.open(tm);
        assertTrue(conn.root().isEmpty());
        assertEquals(0L, Persistence.oid(conn.root()).getAsLong());
    }

    @Test
    void newObjectsReachableAtCommitArePersistedWithTheirGraph() {
        Connection conn = db.open(tm);
        Account a = conn.create(Account.class, "ann", 10L);
        Account b = conn.create(Account.class, "bob", 20L);
        a.setPartner(b);
        assertTrue(Persistence.oid(a).isEmpty());
        conn.root().put("a", a);
        tm.commit();
        assertTrue(Persistence.oid(a).isPresent());
        assertTrue(Persistence.oid(b).isPresent(), "reached through a, not through the root");

        Connection other = db.open(new TransactionManager(false));
        Account a2 = (Account) other.root().get("a");
        assertEquals("ann:10", a2.toString());
        assertEquals("bob:20", a2.partner().toString());
    }

    @Test
    void getReturnsOneInstancePerOidAndThrowsForMissing() {
        Connection conn = db.open(tm);
        conn.root().put("a", conn.create(Account.class, "ann", 1L));
        tm.commit();
        long oid = Persistence.oid(conn.root().get("a")).getAsLong();
        assertSame(conn.get(oid), conn.get(oid));
        assertSame(conn.root().get("a"), conn.get(oid));
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> conn.get(9_999));
        assertEquals(9_999, e.oid());
    }

    /**
     * An after-commit hook can read persistent objects: its method calls do not try to join the transaction
     * that has just committed (a failure there would be logged and swallowed as a failed hook, and the hook
     * would silently do nothing).
     */
    @Test
    void afterCommitHookReadsObjectsAndTheNextTransactionStillCommitsTheirChanges() {
        Connection conn = db.open(tm);
        Account a = conn.create(Account.class, "ann", 1L);
        conn.root().put("a", a);
        tm.commit();
        a.deposit(5);
        List<String> seen = new java.util.ArrayList<>();
        tm.get().addAfterCommitHook(ok -> seen.add(ok + " " + a.balance() + " " + a.history()));
        tm.commit();
        assertEquals(List.of("true 6 [deposit 5]"), seen);

        a.deposit(10); // the implicit next transaction: read in the hook, the object must join it now
        tm.commit();
        assertEquals(16, ((Account) db.open(new TransactionManager(false)).root().get("a")).balance());
    }

    @Test
    void aChangeMadeInAnAfterCommitHookBelongsToNoTransaction() {
        Connection conn = db.open(tm);
        Account a = conn.create(Account.class, "ann", 1L);
        Account b = conn.create(Account.class, "bob", 1L);
        conn.root().put("a", a);
        conn.root().put("b", b);
        tm.commit();
        b.deposit(1);
        tm.get().addAfterCommitHook(ok -> a.deposit(100));
        tm.commit();
        b.deposit(1); // joins the next transaction: a's change from the hook is dropped first
        tm.commit();
        assertEquals(1, a.balance(), "the hook's change was dropped");
        Connection other = db.open(new TransactionManager(false));
        assertEquals(1, ((Account) other.root().get("a")).balance());
        assertEquals(3, ((Account) other.root().get("b")).balance());
    }

    @Test
    void plainListInAFieldChangedThroughAMethodIsCommitted() {
        Connection conn = db.open(tm);
        Account a = conn.create(Account.class, "ann", 0L);
        conn.root().put("a", a);
        tm.commit();
        a.deposit(5); // changes a long and a plain ArrayList held in a field
        tm.commit();
        Account fresh = (Account) db.open(new TransactionManager(false)).root().get("a");
        assertEquals(5, fresh.balance());
        assertEquals(List.of("deposit 5"), fresh.history());
    }

    @Test
    void methodThatOnlyReadsWritesNothing() {
        Connection conn = db.open(tm);
        Account a = conn.create(Account.class, "ann", 0L);
        conn.root().put("a", a);
        tm.commit();
        long tid = storage.lastTid();
        a.balance();
        a.owner();
        tm.commit();
        assertEquals(tid, storage.lastTid(), "no transaction was written");
    }

    @Test
    void abortRestoresChangedObjectsInPlaceAndForgetsNewOnes() {
        Connection conn = db.open(tm);
        Account a = conn.create(Account.class, "ann", 1L);
        conn.root().put("a", a);
        tm.commit();
        a.deposit(100);
        Account fresh = conn.create(Account.class, "new", 0L);
        a.setPartner(fresh);
        tm.savepoint();
        assertTrue(Persistence.oid(fresh).isPresent());
        tm.abort();
        assertEquals(1, a.balance(), "same instance, committed state");
        assertTrue(a.history().isEmpty());
        assertTrue(Persistence.oid(fresh).isEmpty(), "new object lost its oid");
    }

    @Test
    void historicalConnectionReadsAnOldSnapshotAndRefusesToCommit() {
        Connection conn = db.open(tm);
        Account a = conn.create(Account.class, "ann", 1L);
        conn.root().put("a", a);
        tm.commit();
        long then = storage.lastTid();
        a.deposit(10);
        tm.commit();
        TransactionManager old = new TransactionManager(false);
        Connection past = db.openAt(old, then);
        Account pastA = (Account) past.root().get("a");
        assertEquals(1, pastA.balance());
        old.abort();
        assertEquals(1, pastA.balance(), "the snapshot does not move at boundaries");
        pastA.deposit(5);
        assertThrows(IllegalStateException.class, old::commit);
        old.abort();
        assertEquals(11, ((Account) db.open(new TransactionManager(false)).root().get("a")).balance());
    }

    @Test
    void closeWhileJoinedWithChangesIsRefused() {
        Connection conn = db.open(tm);
        conn.root().put("x", 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, conn::close);
        assertTrue(e.getMessage().contains("joined to a transaction"));
        assertFalse(conn.isClosed());
        tm.abort();
        conn.close();
        assertTrue(conn.isClosed());
        assertThrows(IllegalStateException.class, conn::root);
    }
}
