package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jodb.internal.object.Session;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The values of a large {@code PersistentMap} that are persistent objects are made instances when asked for, not
 * when their chunk loads: a cold {@code get} makes a few instances, not one ghost per entry of the chunk; and
 * whatever hands values out (lookups, iteration, a list inside a value, a value met twice) hands out the
 * connection's instances, including after a savepoint rollback brings a chunk's record back.
 */
class LargeMapLazyValuesTest {
    private static final int ENTRIES = 3_000;
    private final MemoryStorage storage = new MemoryStorage();

    @BeforeEach
    void fill() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        PersistentMap<String, Object> map = new PersistentMap<>();
        conn.root().put("map", map);
        for (int i = 0; i < ENTRIES; i++) {
            map.put("k" + i, conn.create(Account.class, "owner" + i, (long) i));
        }
        Account shared = conn.create(Account.class, "shared", 7L);
        map.put("dup-a", shared);
        map.put("dup-b", shared);
        map.put("list", new ArrayList<>(List.of(shared, map.get("k10"))));
        tm.commit();
    }

    @SuppressWarnings("unchecked")
    private static PersistentMap<String, Object> map(Connection conn) {
        return (PersistentMap<String, Object>) conn.root().get("map");
    }

    private static int cachedInstances(Connection conn) throws ReflectiveOperationException {
        Field f = Connection.class.getDeclaredField("session");
        f.setAccessible(true);
        return ((Session) f.get(conn)).cachedInstances();
    }

    @Test
    void aColdGetMakesAFewInstancesNotOnePerEntryOfTheChunk() throws Exception {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        PersistentMap<String, Object> map = map(conn);
        Account a = (Account) map.get("k1234");
        assertEquals(1234L, a.balance());
        int instances = cachedInstances(conn);
        // the root, the map, the hash tree, its root branch and a ghost per child of it, the chunks (ghosts but
        // one, of 512 entries), the account: a ghost per entry of the loaded chunk would be 512 more
        assertTrue(instances < 200, instances + " instances after one get: its chunk's other values stay references");
        assertSame(a, map.get("k1234"), "one instance per oid");
        tm.abort();
    }

    /** A walk of the keys makes no instance per value: the chunks it loads keep their values as references. */
    @Test
    void aWalkOfTheKeysMakesNoInstancePerValue() throws Exception {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        PersistentMap<String, Object> map = map(conn);
        int keys = 0;
        for (String key : map.keySet()) {
            keys += key.startsWith("k") ? 1 : 0;
        }
        assertEquals(ENTRIES, keys);
        int instances = cachedInstances(conn);
        assertTrue(instances < ENTRIES / 2, instances + " instances after a walk of " + ENTRIES + " keys");
        Account a = (Account) map.get("k77"); // and a value asked for afterwards is an instance as always
        assertEquals(77L, a.balance());
        tm.abort();
    }

    @Test
    void everyWayOfReadingHandsOutTheConnectionsInstances() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        PersistentMap<String, Object> map = map(conn);
        Account got = (Account) map.get("k2000");
        int seen = 0;
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = e.getValue();
            if (e.getKey().startsWith("k")) {
                Account a = assertInstanceOf(Account.class, v, e.getKey());
                assertEquals(Long.parseLong(e.getKey().substring(1)), a.balance());
                seen++;
            }
            if (e.getKey().equals("k2000")) {
                assertSame(got, v, "iteration hands out the instance get handed out");
            }
        }
        assertEquals(ENTRIES, seen);
        for (Object v : map.values()) {
            assertTrue(v instanceof Account || v instanceof List, "a value of " + v.getClass());
        }
        assertTrue(map.containsValue(got));
        tm.abort();
    }

    @Test
    void aValueMetTwiceAndAListInsideAValueAreInstances() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        PersistentMap<String, Object> map = map(conn);
        List<?> list = (List<?>) map.get("list");
        Account shared = (Account) map.get("dup-a");
        assertSame(shared, map.get("dup-b"));
        assertSame(shared, list.get(0), "the list's element is the instance the map's value is");
        assertSame(map.get("k10"), list.get(1));
        assertEquals("shared", shared.owner());
        tm.abort();
    }

    /**
     * A savepoint rollback brings back a touched chunk's record, read again with lazy values; the commit stores
     * that chunk (it is still touched) naming the same objects.
     */
    @Test
    void aChunkBroughtBackByARollbackIsWrittenWithItsValues() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        PersistentMap<String, Object> map = map(conn);
        Account fresh = conn.create(Account.class, "fresh", -5L);
        map.put("k5", fresh); // touches k5's chunk
        Savepoint sp = tm.get().savepoint();
        map.put("k6", conn.create(Account.class, "undone", -6L));
        sp.rollback();
        tm.commit();

        TransactionManager tm2 = new TransactionManager(false);
        Connection again = Database.open(storage).open(tm2);
        PersistentMap<String, Object> reread = map(again);
        assertEquals(-5L, ((Account) reread.get("k5")).balance());
        assertEquals(6L, ((Account) reread.get("k6")).balance(), "the rollback undid the replacement");
        for (int i = 0; i < ENTRIES; i++) {
            if (i != 5) {
                assertEquals(i, ((Account) reread.get("k" + i)).balance(), "k" + i);
            }
        }
        tm2.abort();
    }

    /** A connection in which {@link #ENTRIES} committed accounts exist, and a new large map of them. */
    private PersistentMap<String, Object> newMapOfCommittedAccounts(Connection conn) {
        PersistentMap<String, Object> committed = map(conn);
        PersistentMap<String, Object> m = new PersistentMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            m.put("k" + i, committed.get("k" + i));
        }
        return m;
    }

    /** A chunk loaded from a savepoint's record (its values lazy) and disowned by the rollback as it is. */
    @Test
    void aLoadedChunkDisownedAsItIsHandsOutItsValues() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        conn.setCacheSize(0);
        Savepoint sp = tm.get().savepoint();
        PersistentMap<String, Object> m = newMapOfCommittedAccounts(conn);
        conn.root().put("m", m);
        tm.get().savepoint(); // written, then ghosted
        System.gc(); // the accounts' ghosts go: only the chunks referred to them
        assertEquals(5L, ((Account) m.get("k5")).balance()); // k5's chunk loads from the savepoint's record
        System.gc();
        sp.rollback();
        assertEquals(6L, ((Account) m.get("k6")).balance());
        tm.abort();
    }
}
