package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.DataManager;
import org.jodb.transaction.DataManagerSavepoint;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.Transaction;
import org.jodb.transaction.TransactionFailedException;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scenarios of ZODB's own connection tests (testConnectionSavepoint.py, testConnection.py, testZODB.py),
 * told again against a jodb connection.
 */
class ConnectionSavepointsAndFailuresTest {
    private final Database db = Database.open(new MemoryStorage());
    private final TransactionManager tm = new TransactionManager(false);
    private final Connection conn = db.open(tm);

    @AfterEach
    void close() {
        tm.abort();
        db.close();
    }

    private Object reread(String key) {
        TransactionManager other = new TransactionManager(false);
        Object value = db.open(other).root().get(key);
        other.abort();
        return value;
    }

    /** A data manager that fails when asked for a savepoint (testZODB's PoisonedJar). */
    static class PoisonedSavepoints implements DataManager {
        @Override public void abort(Transaction txn) { }
        @Override public void tpcBegin(Transaction txn) { }
        @Override public void commit(Transaction txn) { }
        @Override public void tpcVote(Transaction txn) { }
        @Override public void tpcFinish(Transaction txn) { }
        @Override public void tpcAbort(Transaction txn) { }
        @Override public String sortKey() { return "poisoned"; }
        @Override public DataManagerSavepoint savepoint() {
            throw new IllegalStateException("poisoned savepoint");
        }
    }

    @Test
    void addingAMapThenASavepointThenChangingItThenAbortDisownsIt() {
        PersistentMap<String, Object> ob = new PersistentMap<>();
        conn.root().put("ob", ob);
        tm.savepoint();
        assertTrue(Persistence.oid(ob).isPresent());
        ob.put("x", 1);
        tm.abort();
        assertTrue(Persistence.oid(ob).isEmpty());
        assertFalse(conn.root().containsKey("ob"));
        conn.root().put("ob", ob);
        tm.commit();
        assertEquals(1, ((PersistentMap<?, ?>) reread("ob")).get("x"));
    }

    @Test
    void changeAfterTwoSavepointsIsCommittedWithoutConflict() {
        tm.savepoint();
        conn.root().put("a", 1);
        tm.savepoint();
        conn.root().put("a", 2);
        tm.commit();
        assertEquals(2, reread("a"));
    }

    @Test
    void rollbackToTheFirstOfTwoSavepointsShowsItsState() {
        Account p = conn.create(Account.class, "p", 0L);
        conn.root().put("p", p);
        tm.commit();
        p.deposit(1);
        Savepoint sp = tm.savepoint();
        p.deposit(1);
        tm.savepoint();
        sp.rollback();
        assertEquals(1, p.balance());
    }

    @Test
    void objectsAddedAfterASavepointAreUsableAndAddableAfterRollback() {
        PersistentMap<String, Account> data = new PersistentMap<>();
        conn.root().put("data", data);
        tm.commit();
        List<Account> words = new ArrayList<>();
        for (String w : List.of("hello", "world", "how", "are", "you")) {
            words.add(conn.create(Account.class, w, (long) words.size()));
        }
        Savepoint sv = tm.savepoint();
        for (Account word : words) {
            tm.savepoint();
            data.put(word.owner(), word);
        }
        sv.rollback();
        assertEquals("world", words.get(1).owner());
        assertEquals(1, words.get(1).balance());
        assertTrue(Persistence.oid(words.get(1)).isEmpty());
        assertTrue(data.isEmpty());
        for (Account word : words) {
            data.put(word.owner(), word);
        }
        tm.commit();
        @SuppressWarnings("unchecked")
        PersistentMap<String, Account> again = (PersistentMap<String, Account>) reread("data");
        assertEquals(5, again.size());
        assertEquals(4, again.get("you").balance());
    }

    @Test
    void rollbackAfterReadCurrentOfANewObjectCommitsWhatCameBefore() {
        Account a = conn.create(Account.class, "a", 0L);
        conn.root().put("a", a);
        Savepoint sp = tm.savepoint();
        Account b = conn.create(Account.class, "b", 0L);
        a.setPartner(b);
        tm.savepoint();
        conn.readCurrent(b);
        b.deposit(3);
        sp.rollback();
        tm.commit();
        assertTrue(reread("a") instanceof Account);
        assertEquals(null, ((Account) reread("a")).partner());
    }

    @Test
    void failingSavepointLosesTheChangesAtOnceAndSticksUntilAbort() {
        conn.root().put("a", 1);
        tm.savepoint();
        conn.root().put("b", 2);
        tm.get().join(new PoisonedSavepoints());
        assertThrows(IllegalStateException.class, tm::savepoint);
        assertThrows(TransactionFailedException.class, tm::savepoint);
        assertThrows(TransactionFailedException.class, tm::commit);
        // ZODB: reads see the changes lost; a write fails (join refuses)
        assertFalse(conn.root().containsKey("a"));
        assertFalse(conn.root().containsKey("b"));
        tm.abort();
        conn.root().put("a", 1);
        tm.commit();
        assertEquals(1, reread("a"));
    }

    @Test
    void objectsCanBeReadAfterAFailedCommitBeforeTheAbort() {
        Account a = conn.create(Account.class, "a", 5L);
        conn.root().put("a", a);
        tm.commit();
        a.deposit(1);
        tm.get().join(new PoisonedSavepoints() {
            @Override
            public void tpcVote(Transaction txn) {
                throw new IllegalStateException("vote refused");
            }
        });
        assertThrows(IllegalStateException.class, tm::commit);
        // ZODB: the changes are gone at once and objects read their committed state until the abort
        assertEquals(5, a.balance());
        assertEquals(a, conn.root().get("a"));
        // a known write is refused, as ZODB's join refuses it; a method that writes is found only later,
        // and its change belongs to no transaction: the abort drops it
        TransactionFailedException refused = assertThrows(TransactionFailedException.class,
                () -> conn.root().put("b", 1));
        assertEquals("vote refused", refused.getCause().getMessage());
        a.deposit(100);
        assertThrows(TransactionFailedException.class, tm::commit);
        tm.abort();
        assertEquals(5, a.balance());
        a.deposit(2);
        tm.commit();
        assertEquals(7, ((Account) reread("a")).balance());
        assertFalse(conn.root().containsKey("b"));
    }

    @Test
    void getFindsAnObjectAddedInThisTransactionAndNotOneWhoseAddWasUndone() {
        Account a = conn.create(Account.class, "a", 1L);
        conn.root().put("a", a);
        Savepoint sp = tm.savepoint();
        long oid = Persistence.oid(a).getAsLong();
        assertTrue(conn.get(oid) == a, "ZODB's get looks in the objects added by this transaction");
        Account b = conn.create(Account.class, "b", 2L);
        a.setPartner(b);
        tm.savepoint();
        long oidB = Persistence.oid(b).getAsLong();
        sp.rollback();
        assertThrows(org.jodb.ObjectNotFoundException.class, () -> conn.get(oidB));
        assertTrue(conn.get(oid) == a);
        tm.abort();
        assertThrows(org.jodb.ObjectNotFoundException.class, () -> conn.get(oid));
    }

    @Test
    void changesMadeByABeforeCommitHookAreCommitted() {
        Account a = conn.create(Account.class, "a", 1L);
        conn.root().put("a", a);
        tm.commit();
        tm.get().addBeforeCommitHook(() -> {
            a.deposit(10);
            conn.root().put("indexed", "yes");
        });
        tm.commit();
        assertEquals(11, ((Account) reread("a")).balance());
        assertEquals("yes", reread("indexed"));
    }

    @Test
    void aFailedCommitRunsTheAbortHooksOnlyAtTheAbort() {
        List<String> ran = new ArrayList<>();
        conn.root().put("x", 1);
        Transaction t = tm.get();
        t.addBeforeAbortHook(() -> ran.add("before-abort"));
        t.addAfterAbortHook(() -> ran.add("after-abort"));
        t.join(new PoisonedSavepoints() {
            @Override
            public void tpcVote(Transaction txn) {
                throw new IllegalStateException("vote refused");
            }
        });
        assertThrows(IllegalStateException.class, tm::commit);
        assertEquals(List.of(), ran);
        tm.abort();
        assertEquals(List.of("before-abort", "after-abort"), ran);
        assertEquals(null, reread("x"));
    }

    @Test
    void aConnectionJoiningAfterASavepointIsAbortedByItsRollbackAndCanJoinAgain() {
        Account a = conn.create(Account.class, "a", 1L);
        conn.root().put("a", a);
        tm.commit();
        Savepoint empty = tm.savepoint(); // taken before the connection joined
        a.deposit(10);
        Account b = conn.create(Account.class, "b", 2L);
        conn.root().put("b", b);
        Savepoint later = tm.savepoint();
        empty.rollback();
        assertFalse(later.isValid());
        assertEquals(1, a.balance());
        assertFalse(conn.root().containsKey("b"));
        assertTrue(Persistence.oid(b).isEmpty());
        a.deposit(100);
        empty.rollback();
        assertEquals(1, a.balance(), "rolled back again: the connection joined again after the first rollback");
        a.deposit(5);
        conn.root().put("b", b);
        tm.commit();
        assertEquals(6, ((Account) reread("a")).balance());
        assertEquals(2, ((Account) reread("b")).balance());
    }

    @Test
    void aDoomedTransactionCanChangeTakeSavepointsAndRollBackButOnlyAbort() {
        Account a = conn.create(Account.class, "a", 1L);
        conn.root().put("a", a);
        tm.commit();
        tm.doom();
        a.deposit(1);
        Savepoint sp = tm.savepoint();
        a.deposit(1);
        sp.rollback();
        assertEquals(2, a.balance());
        assertThrows(org.jodb.transaction.DoomedTransactionException.class, tm::commit);
        assertEquals(2, a.balance(), "a refused commit of a doomed transaction touches nothing");
        tm.abort();
        assertEquals(1, a.balance());
        assertEquals(1, ((Account) reread("a")).balance());
    }

    @Test
    void implicitBeginAbortsTheConnectionsChanges() {
        Account a = conn.create(Account.class, "a", 1L);
        conn.root().put("a", a);
        tm.commit();
        a.deposit(1);
        conn.root().put("b", 2);
        tm.begin();
        assertEquals(1, a.balance());
        assertFalse(conn.root().containsKey("b"));
        tm.commit();
        assertEquals(null, reread("b"));
    }
}
