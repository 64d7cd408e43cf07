package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;
import org.jodb.transaction.NoTransactionException;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.jodb.transaction.TransientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Transactional undo on the memory storage: what {@code Database.undoLog} lists, what {@code Database.undo}
 * writes in the current transaction (and how abort, savepoints and other connections see it), and each way an
 * undo is refused.
 */
class UndoTest {
    private final MemoryStorage storage = new MemoryStorage();
    private final Database db = Database.open(storage);
    private final TransactionManager tm = new TransactionManager(false);
    private final Connection conn = db.open(tm);

    @AfterEach
    void close() {
        tm.abort();
        db.close();
    }

    /** Commits the current transaction with {@code user} and {@code note}; returns its tid. */
    private long commit(String user, String note) {
        tm.get().setUser(user);
        tm.get().note(note);
        tm.commit();
        return storage.lastTid();
    }

    private Account account(String key, long balance) {
        Account a = conn.create(Account.class, key, balance);
        conn.root().put(key, a);
        return a;
    }

    /** The balance of {@code key} as a new connection on its own manager reads it. */
    private long committedBalance(String key) {
        TransactionManager other = new TransactionManager(false);
        Connection c = db.open(other);
        try {
            return ((Account) c.root().get(key)).balance();
        } finally {
            other.abort();
            c.close();
        }
    }

    @Test
    void theUndoLogListsTransactionsNewestFirstWithTheirUserNoteTimeAndObjects() {
        Instant start = Instant.now();
        Account alice = account("alice", 100);
        long created = commit("admin", "open accounts");
        alice.deposit(5);
        long deposit = commit("bob", "deposit");
        Instant end = Instant.now();

        List<TransactionDescription> log = db.undoLog(10);
        assertEquals(List.of(deposit, created), log.stream().limit(2).map(TransactionDescription::tid).toList());
        assertEquals("bob", log.get(0).user());
        assertEquals("deposit", log.get(0).note());
        assertEquals(List.of(Persistence.oid(alice).getAsLong()), log.get(0).oids());
        assertEquals("admin", log.get(1).user());
        assertTrue(log.get(1).oids().containsAll(List.of(Storage.ROOT_OID, Persistence.oid(alice).getAsLong())));
        assertFalse(log.get(0).time().isBefore(start.minus(Duration.ofSeconds(1))));
        assertFalse(log.get(0).time().isAfter(end.plus(Duration.ofSeconds(1))));

        assertEquals(List.of(deposit), db.undoLog(1).stream().map(TransactionDescription::tid).toList());
        assertEquals(List.of(created), db.undoLog(10, t -> t.user().equals("admin")).stream()
                .map(TransactionDescription::tid).toList());
        assertTrue(db.undoLog(0).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> db.undoLog(-1));
    }

    @Test
    void anUndoSetsBackEveryObjectTheTransactionWroteOnceTheCurrentTransactionCommits() {
        Account alice = account("alice", 100);
        Account bob = account("bob", 200);
        commit("", "open accounts");
        alice.deposit(-100);
        bob.deposit(-200);
        long bad = commit("intern", "bulk update");

        db.undo(tm, bad);
        assertEquals(100, alice.balance(), "this transaction sees the undone state at once");
        assertEquals(200, bob.balance());
        assertEquals(0, committedBalance("alice"), "nothing is written before the commit");
        long undo = commit("admin", "undo of the bulk update");

        assertEquals(100, committedBalance("alice"));
        assertEquals(200, committedBalance("bob"));
        assertEquals(List.of(undo, bad), db.undoLog(2).stream().map(TransactionDescription::tid).toList());
        assertEquals(List.of(), alice.history(), "the whole state is set back, the deposit's history line too");
    }

    @Test
    void anotherConnectionSeesTheOldStateAtItsNextTransaction() {
        Account alice = account("alice", 100);
        commit("", "");
        alice.deposit(50);
        long t = commit("", "");
        TransactionManager otherTm = new TransactionManager(false);
        Connection other = db.open(otherTm);
        Account seen = (Account) other.root().get("alice");
        assertEquals(150, seen.balance());

        db.undo(tm, t);
        tm.commit();

        assertEquals(150, seen.balance(), "its snapshot is fixed until its transaction ends");
        otherTm.commit();
        assertEquals(100, seen.balance(), "the same instance, reloaded");
        otherTm.abort();
    }

    @Test
    void abortThrowsTheUndoAwayAndARolledBackSavepointToo() {
        Account alice = account("alice", 100);
        commit("", "");
        alice.deposit(1);
        long t = commit("", "");

        db.undo(tm, t);
        assertEquals(100, alice.balance());
        tm.abort();
        assertEquals(101, alice.balance());
        assertEquals(101, committedBalance("alice"));

        Savepoint before = tm.savepoint();
        db.undo(tm, t);
        assertEquals(100, alice.balance());
        before.rollback();
        assertEquals(101, alice.balance(), "rolled back like any change");
        tm.commit();
        assertEquals(101, committedBalance("alice"));

        db.undo(tm, t);
        Savepoint after = tm.savepoint();
        conn.root().put("note", "kept");
        after.rollback();
        tm.commit();
        assertEquals(100, committedBalance("alice"), "a savepoint taken after the undo keeps it");
    }

    @Test
    void aLaterChangeOfTheSameObjectRefusesTheUndoAndNamesTheObjectAndTheLaterTransaction() {
        Account alice = account("alice", 100);
        commit("", "");
        alice.deposit(1);
        long t = commit("bob", "raise");
        alice.deposit(2);
        long later = commit("", "");
        long oid = Persistence.oid(alice).getAsLong();

        UndoException e = assertThrows(UndoException.class, () -> db.undo(tm, t));
        assertEquals(t, e.tid());
        assertEquals(Map.of(oid, later), e.laterChanges());
        assertTrue(e.getMessage().contains("cannot undo transaction " + t), e.getMessage());
        assertTrue(e.getMessage().contains("oid " + oid + " (Account) changed by transaction " + later),
                e.getMessage());
        assertTrue(e.getMessage().contains("Undo those later transactions first"), e.getMessage());
        assertFalse(TransientException.class.isInstance(e), "not retryable: it fails again until the later change goes");

        assertEquals(103, alice.balance(), "nothing was written");
        conn.root().put("other work", "goes on");
        tm.commit();
        assertEquals(103, committedBalance("alice"));

        db.undo(tm, later);
        assertThrows(UndoException.class, () -> db.undo(tm, t), "this transaction changed alice already");
        tm.commit();
        db.undo(tm, t);
        tm.commit();
        assertEquals(100, committedBalance("alice"), "later undone first, then t: both undone");
    }

    @Test
    void undoingSeveralTransactionsOfOneObjectTakesOneTransactionEachNewestFirst() {
        Account alice = account("alice", 100);
        commit("", "");
        alice.deposit(1);
        long t = commit("", "");
        alice.deposit(2);
        long later = commit("", "");

        db.undo(tm, later);
        UndoException e = assertThrows(UndoException.class, () -> db.undo(tm, t));
        assertTrue(e.getMessage().contains("it already changed oid"), e.getMessage());
        tm.commit();
        db.undo(tm, t);
        assertThrows(UndoException.class, () -> db.undo(tm, later), "its state changed again in this transaction");
        tm.commit();
        assertEquals(100, committedBalance("alice"));
    }

    @Test
    void changesToOtherKeysOfAMapMergeWithTheUndo() {
        PersistentMap<String, Long> prices = new PersistentMap<>();
        prices.put("tea", 3L);
        conn.root().put("prices", prices);
        commit("", "");
        prices.put("tea", 300L);
        long typo = commit("", "typo");
        prices.put("coffee", 4L);
        commit("", "new product");

        db.undo(tm, typo);
        tm.commit();

        assertEquals(Map.of("tea", 3L, "coffee", 4L), Map.copyOf(prices));
    }

    @Test
    void aChangeToTheSameKeyOfAMapRefusesTheUndo() {
        PersistentMap<String, Long> prices = new PersistentMap<>();
        prices.put("tea", 3L);
        conn.root().put("prices", prices);
        commit("", "");
        prices.put("tea", 300L);
        long typo = commit("", "typo");
        prices.put("tea", 30L);
        long fix = commit("", "fix by hand");

        UndoException e = assertThrows(UndoException.class, () -> db.undo(tm, typo));
        assertEquals(fix, e.laterChanges().get(Persistence.oid(prices).getAsLong()));
        assertTrue(e.getMessage().contains("(PersistentMap) changed by transaction " + fix), e.getMessage());
    }

    @Test
    void aCommitMeanwhileIsFoundAtCommitAsForAnyChangeAndMergedWhenItTouchedOtherKeys() {
        PersistentMap<String, Long> prices = new PersistentMap<>();
        prices.put("tea", 3L);
        conn.root().put("prices", prices);
        Account alice = account("alice", 100);
        commit("", "");
        prices.put("tea", 300L);
        alice.deposit(1);
        long typo = commit("", "typo");

        db.undo(tm, typo);
        TransactionManager otherTm = new TransactionManager(false);
        Connection other = db.open(otherTm);
        @SuppressWarnings("unchecked")
        PersistentMap<String, Long> otherPrices = (PersistentMap<String, Long>) other.root().get("prices");
        otherPrices.put("coffee", 4L);
        otherTm.commit();
        tm.commit(); // merged at vote: the other commit changed another key

        assertEquals(Map.of("tea", 3L, "coffee", 4L), Map.copyOf(prices));
        assertEquals(100, committedBalance("alice"));

        alice.deposit(5);
        long raise = commit("", "raise");
        db.undo(tm, raise);
        otherTm.abort(); // a boundary: the other connection's next transaction sees the raise
        ((Account) other.root().get("alice")).deposit(7);
        otherTm.commit();
        ConflictException e = assertThrows(ConflictException.class, tm::commit);
        assertEquals(Persistence.oid(alice).getAsLong(), e.oid());
        tm.abort();
        UndoException now = assertThrows(UndoException.class, () -> db.undo(tm, raise), "the retry sees the change");
        assertTrue(now.getMessage().contains("(Account) changed by transaction " + storage.lastTid()),
                now.getMessage());
        otherTm.abort();
    }

    @Test
    void undoingAnUndoRestoresTheChangeAndUndoingTwiceIsRefused() {
        Account alice = account("alice", 100);
        commit("", "");
        alice.deposit(7);
        long t = commit("", "");
        db.undo(tm, t);
        long undo = commit("", "undo");
        assertEquals(100, alice.balance());

        UndoException twice = assertThrows(UndoException.class, () -> db.undo(tm, t));
        assertTrue(twice.getMessage().contains("changed by transaction " + undo + ", which set it back to its state"
                + " before " + t + " (undone already)"), twice.getMessage());

        db.undo(tm, undo);
        tm.commit();
        assertEquals(107, alice.balance());
        assertEquals(107, committedBalance("alice"));
    }

    @Test
    void anObjectTheTransactionCreatedBecomesUnreachableAndPackRemovesIt() {
        commit("", "");
        Account carol = account("carol", 5);
        long t = commit("", "add carol");
        long oid = Persistence.oid(carol).getAsLong();

        db.undo(tm, t);
        tm.commit();

        assertNull(conn.root().get("carol"));
        assertEquals(5, storage.load(oid) == null ? -1 : carol.balance(), "left as it is until a pack");
        db.pack();
        assertNull(storage.load(oid), "unreachable: pack removed it");
    }

    @Test
    void unknownAndPackedTransactionsAreRefusedClearly() {
        Account alice = account("alice", 1);
        long first = commit("", "");
        alice.deposit(1);
        long second = commit("", "");

        UndoException unknown = assertThrows(UndoException.class, () -> db.undo(tm, second + 1000));
        assertTrue(unknown.getMessage().startsWith("no transaction " + (second + 1000) + " in storage memory"),
                unknown.getMessage());
        UndoException zero = assertThrows(UndoException.class, () -> db.undo(tm, 0));
        assertTrue(zero.getMessage().contains("take one from Database.undoLog"), zero.getMessage());

        alice.deposit(1);
        long third = commit("", "");
        tm.abort();
        db.pack();
        UndoException packed = assertThrows(UndoException.class, () -> db.undo(tm, second));
        assertTrue(packed.getMessage().contains("a pack removed the states its objects had before it"),
                packed.getMessage());
        assertEquals(second, packed.tid());
        assertEquals(List.of(), db.undoLog(10).stream().filter(d -> d.tid() <= third).toList(),
                "the log lists only what can still be undone");
        assertTrue(first < second);
    }

    @Test
    void aTransactionNewerThanTheSnapshotIsARetryableFailure() {
        Account alice = account("alice", 1);
        commit("", "");
        conn.root().get("alice"); // this transaction's snapshot is fixed now
        TransactionManager otherTm = new TransactionManager(false);
        Account elsewhere = (Account) db.open(otherTm).root().get("alice");
        elsewhere.deposit(1);
        otherTm.commit();
        long newer = storage.lastTid();

        TransientException e = assertThrows(TransientException.class, () -> db.undo(tm, newer));
        assertTrue(e.getMessage().contains("committed after this transaction's snapshot"), e.getMessage());
        tm.abort();
        db.undo(tm, newer);
        tm.commit();
        assertEquals(1, committedBalance("alice"));
        assertSame(alice, conn.root().get("alice"));
    }

    @Test
    void anUndoWithoutAnOpenConnectionUsesOneForItsTransactionAndAnExplicitManagerNeedsBegin() {
        Account alice = account("alice", 10);
        commit("", "");
        alice.deposit(10);
        long t = commit("", "");
        conn.close();

        TransactionManager explicit = new TransactionManager(true);
        assertThrows(NoTransactionException.class, () -> db.undo(explicit, t));
        explicit.begin();
        db.undo(explicit, t);
        explicit.abort();
        explicit.begin();
        db.undo(explicit, t);
        explicit.commit();
        assertEquals(10, committedBalance("alice"));

        TransactionManager later = new TransactionManager(false);
        Connection c = db.open(later);
        ((Account) c.root().get("alice")).deposit(1);
        later.commit();
        c.close();
        db.pack(); // the connections opened for the undos were closed when their transactions ended
        assertEquals(storage.lastTid(), storage.oldestSnapshot(), "no open connection held the pack back");
    }
}
