package org.jodb.object;

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

/** The life of one persistent object, numbered after ZODB-SEMANTICS.md section E. */
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
    void e53_statusesFollowTheObjectsLife() {
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
    void e54_firstCallJoinsTheTransactionOnce() {
        Account a = stored("a");
        assertFalse(tm.current().isPresent());
        a.deposit(1);
        assertTrue(tm.current().isPresent(), "the first call joined (and so began) a transaction");
        a.deposit(1);
        tm.commit();
        assertEquals(3, a.balance());
    }

    @Test
    void e56_ghostLoadsItsStateBeforeTheFirstMethodRuns() {
        Account a = stored("a");
        a.deposit(4);
        tm.commit();
        conn.cacheMinimize();
        assertEquals(ObjectStatus.GHOST, state(a).status());
        assertEquals(5, a.balance());
        assertEquals(List.of("deposit 4"), a.history());
    }

    @Test
    void e57_cacheGcGhostsOnlyUnchangedObjectsAndKeepsIdentity() {
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
    void e59_serialIsTheTidOfTheLoadedRevision() {
        Account a = conn.create(Account.class, "a", 1L);
        assertEquals(0, state(a).serial());
        conn.root().put("a", a);
        tm.commit();
        assertEquals(storage.lastTid(), state(a).serial());
    }

    @Test
    void e61_changesToPlainCollectionsInsideAnObjectAreFound() {
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
