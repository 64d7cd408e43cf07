package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.PersistentMap;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The life of one persistent object: its statuses, joining, transient fields, loading, cache gc and serial. */
class PersistentObjectTest {
    private final MemoryStorage storage = new MemoryStorage();
    private final Database db = Database.open(storage);
    private final TransactionManager tm = new TransactionManager(false);
    private final Connection conn = db.open(tm);

    @AfterEach
    void close() {
        tm.abort();
        db.close();
    }

    private static ObjectState state(Object o) {
        return ((PersistentObject) o).$jodbState();
    }

    private Account stored(String key) {
        Account a = conn.create(Account.class, key, 1L);
        conn.root().put(key, a);
        tm.commit();
        return a;
    }

    @Test
    void statusesFollowTheObjectsLife() {
        Account a = conn.create(Account.class, "a", 1L);
        assertEquals(ObjectStatus.UNSAVED, state(a).status());
        a.deposit(1); // no oid yet: not tracked, nothing joins
        assertFalse(tm.current().isPresent() && state(conn.root()).status() == ObjectStatus.TOUCHED);
        conn.root().put("a", a);
        tm.commit();
        assertEquals(ObjectStatus.CLEAN, state(a).status());
        a.balance();
        assertEquals(ObjectStatus.TOUCHED, state(a).status());
        tm.commit();
        conn.cacheMinimize();
        assertEquals(ObjectStatus.GHOST, state(a).status());
    }

    @Test
    void firstCallJoinsTheTransactionOnce() {
        Account a = stored("a");
        assertFalse(tm.current().isPresent());
        a.deposit(1);
        assertTrue(tm.current().isPresent(), "the first call joined (and so began) a transaction");
        a.deposit(1);
        tm.commit();
        assertEquals(3, a.balance());
    }

    /** A class with a transient field derived from its state (ZODB's {@code _v_} attribute). */
    public static class Priced {
        private long cents;
        private transient String label;
        private transient int labelsMade;

        public Priced(long cents) {
            this.cents = cents;
        }

        protected Priced() {
        }

        public String label() {
            if (label == null) {
                label = cents / 100 + "." + String.format("%02d", cents % 100);
                labelsMade++;
            }
            return label;
        }

        public String cachedLabel() {
            return label;
        }

        public int labelsMade() {
            return labelsMade;
        }

        public void setCents(long cents) {
            this.cents = cents;
            this.label = null;
        }
    }

    @Test
    void transientFieldsAreNotStoredAndAreResetWhenTheStateIsDroppedOrReloaded() {
        Priced p = conn.create(Priced.class, 150L);
        conn.root().put("p", p);
        assertEquals("1.50", p.label());
        tm.commit();
        assertEquals("1.50", p.cachedLabel(), "a committed object keeps its transient values");
        conn.cacheMinimize();
        long tid = storage.lastTid();
        assertEquals("1.50", p.label());
        tm.commit();
        assertEquals(tid, storage.lastTid(), "changing only a transient field writes nothing");

        TransactionManager tm2 = new TransactionManager(false);
        Connection other = db.open(tm2);
        Priced there = (Priced) other.root().get("p");
        assertNull(there.cachedLabel(), "transient fields are not stored");
        there.setCents(275);
        tm2.commit();

        assertEquals("1.50", p.cachedLabel(), "this transaction's snapshot still holds the old state");
        tm.commit(); // boundary: the object is invalidated
        assertEquals(ObjectStatus.GHOST, state(p).status());
        assertNull(p.cachedLabel(), "a reload after invalidation resets transient fields");
        assertEquals("2.75", p.label(), "no stale label derived from the old state");

        tm.commit();
        conn.cacheMinimize();
        assertEquals(ObjectStatus.GHOST, state(p).status());
        assertNull(p.cachedLabel(), "ghosting resets transient fields");
        assertEquals(0, p.labelsMade(), "every transient field, not only references");

        p.label();
        p.setCents(300);
        p.label();
        tm.abort();
        assertNull(p.cachedLabel(), "abort reloads the committed state and resets transient fields");
        assertEquals("2.75", p.label());
        tm.abort();
        other.close();
    }

    /** Code that reads and writes the private fields of another instance directly. */
    public static class Money implements Comparable<Money> {
        private long cents;

        public Money(long cents) {
            this.cents = cents;
        }

        protected Money() {
        }

        public long cents() {
            return cents;
        }

        public void moveTo(Money other, long amount) {
            cents -= amount;
            other.cents += amount;
        }

        @Override
        public int compareTo(Money other) {
            return Long.compare(cents, other.cents);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Money other && other.cents == cents;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(cents);
        }
    }

    @Test
    void aGhostPassedAsAnArgumentIsLoadedBeforeTheMethodReadsItsFields() {
        Money a = conn.create(Money.class, 500L);
        Money b = conn.create(Money.class, 500L);
        Money c = conn.create(Money.class, 700L);
        conn.root().put("a", a);
        conn.root().put("b", b);
        conn.root().put("c", c);
        tm.commit();
        conn.cacheMinimize();
        assertEquals(ObjectStatus.GHOST, state(b).status());
        assertTrue(a.equals(b), "b's fields were loaded before a.equals read them");
        conn.cacheMinimize();
        assertTrue(a.compareTo(c) < 0, "also through the bridge method of Comparable");
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void aDirectWriteToAnArgumentsFieldIsCommitted() {
        Money a = conn.create(Money.class, 500L);
        Money b = conn.create(Money.class, 0L);
        conn.root().put("a", a);
        conn.root().put("b", b);
        tm.commit();
        conn.cacheMinimize();
        a.moveTo(b, 200);
        tm.commit();
        TransactionManager tm2 = new TransactionManager(false);
        Connection other = db.open(tm2);
        assertEquals(300, ((Money) other.root().get("a")).cents());
        assertEquals(200, ((Money) other.root().get("b")).cents(), "b was touched as an argument, so its change was found");
        tm2.abort();
        other.close();
    }

    @Test
    void ghostLoadsItsStateBeforeTheFirstMethodRuns() {
        Account a = stored("a");
        a.deposit(4);
        tm.commit();
        conn.cacheMinimize();
        assertEquals(ObjectStatus.GHOST, state(a).status());
        assertEquals(5, a.balance());
        assertEquals(List.of("deposit 4"), a.history());
    }

    @Test
    void cacheGcGhostsOnlyUnchangedObjectsAndKeepsIdentity() {
        conn.setCacheSize(0);
        Account a = stored("a");
        Account b = stored("b");
        a.deposit(1);
        b.balance();
        conn.cacheMinimize();
        assertEquals(ObjectStatus.TOUCHED, state(a).status(), "changed objects are never ghosted");
        tm.commit(); // gc after the transaction: cache size 0
        assertEquals(ObjectStatus.GHOST, state(a).status());
        assertSame(a, conn.root().get("a"), "identity holds across ghosting");
        assertSame(a, conn.get(Persistence.oid(a).getAsLong()));
        assertEquals(2, a.balance());
    }

    @Test
    void byteTargetGhostsLeastRecentlyUsedObjectsByTheirRecordSize() {
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Account a = conn.create(Account.class, "x".repeat(1000) + i, 1L);
            conn.root().put("big" + i, a);
            accounts.add(a);
        }
        tm.commit();
        Account first = accounts.get(0);
        int size = state(first).estimatedSize();
        assertEquals(storage.load(Persistence.oid(first).getAsLong()).data().length, size,
                "the estimate is the record's length");
        assertTrue(size > 1000);
        assertTrue(conn.cacheLoadedBytes() >= 10L * size, "no byte target yet: all loaded");

        conn.setCacheSizeBytes(3L * size + size / 2);
        for (Account a : accounts) {
            a.balance(); // used in this order: the last ones are the most recent
        }
        accounts.get(9).deposit(1);
        tm.commit(); // gc after the transaction
        assertTrue(conn.cacheLoadedBytes() <= 3L * size + size / 2, () -> "loaded " + conn.cacheLoadedBytes());
        assertEquals(ObjectStatus.GHOST, state(first).status(), "least recently used: ghosted");
        assertEquals(ObjectStatus.CLEAN, state(accounts.get(9)).status(), "most recently used: kept");
        assertEquals(ObjectStatus.CLEAN, state(accounts.get(8)).status());

        conn.setCacheSizeBytes(0);
        accounts.forEach(Account::balance);
        tm.commit();
        assertEquals(ObjectStatus.CLEAN, state(first).status(), "0 turns the byte target off");
    }

    @Test
    void aContainerReadInEveryTransactionStaysLoaded() {
        for (int i = 0; i < 6; i++) {
            conn.root().put("a" + i, conn.create(Account.class, "a" + i, 1L));
        }
        tm.commit();
        conn.setCacheSize(3);
        for (int i = 0; i < 6; i++) {
            ((Account) conn.root().get("a" + i)).deposit(1); // read-only on the root, a write on an account
            tm.commit(); // gc after the transaction: the oldest clean objects are ghosted
            assertEquals(ObjectStatus.CLEAN, state(conn.root()).status(),
                    "the root map, read in this transaction, is among the most recently used");
        }
    }

    @Test
    void serialIsTheTidOfTheLoadedRevision() {
        Account a = conn.create(Account.class, "a", 1L);
        assertEquals(0, state(a).serial());
        conn.root().put("a", a);
        tm.commit();
        assertEquals(storage.lastTid(), state(a).serial());
    }

    @Test
    void changesToPlainCollectionsInsideAnObjectAreFound() {
        Account a = stored("a");
        a.history().add("direct"); // through the getter, then a plain ArrayList method
        tm.commit();
        Connection other = db.open(new TransactionManager(false));
        assertEquals(List.of("direct"), ((Account) other.root().get("a")).history());
    }

    @Test
    void markChangedForcesAWrite() {
        Account a = stored("a");
        long tid = storage.lastTid();
        Persistence.markChanged(a);
        tm.commit();
        assertEquals(tid + 1, storage.lastTid());
    }

    @Test
    void persistentMapIsItsOwnRecordAndTheHolderIsNotRewritten() {
        PersistentMap<String, Integer> inner = new PersistentMap<>();
        conn.root().put("inner", inner);
        tm.commit();
        long rootSerial = state(conn.root()).serial();
        inner.put("k", 1);
        tm.commit();
        assertEquals(rootSerial, state(conn.root()).serial(), "the root was not written");
        assertTrue(Persistence.oid(inner).isPresent());
        assertEquals(1, db.open(new TransactionManager(false)).root().get("inner") instanceof PersistentMap<?, ?> m
                ? m.get("k") : null);
    }

    @Test
    void referencesFromValuesToPersistentObjectsSurviveReload() {
        Account a = stored("a");
        List<Object> values = new ArrayList<>(List.of(a, "text"));
        conn.root().put("values", values);
        tm.commit();
        conn.cacheMinimize();
        @SuppressWarnings("unchecked")
        List<Object> back = (List<Object>) conn.root().get("values");
        assertSame(a, back.get(0));
        assertNull(Persistence.oid("text").isPresent() ? "?" : null);
    }
}
