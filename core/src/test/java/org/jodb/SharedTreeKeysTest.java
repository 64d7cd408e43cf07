package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Date;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections of one database that load the same revision of a tree's node share its keys array (the node never
 * writes it in place), and only that: each holds its own values, and a change gives the changing connection a
 * keys array of its own. Keys that could change (a {@code Date}) are not shared.
 */
class SharedTreeKeysTest {
    private static final int KEYS = 5_000;
    private final MemoryStorage storage = new MemoryStorage();
    private Database db;

    @BeforeEach
    void fill() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm); // a database of its own: its pool keeps this connection
        PersistentTreeMap<Long, Account> accounts = new PersistentTreeMap<>();
        PersistentTreeMap<Date, String> dated = new PersistentTreeMap<>();
        conn.root().put("accounts", accounts);
        conn.root().put("dated", dated);
        for (long i = 0; i < KEYS; i++) {
            accounts.put(i * 2, conn.create(Account.class, "owner" + i, i));
            dated.put(new Date(i), "d" + i);
        }
        tm.commit();
        db = Database.open(storage); // its connections start cold
    }

    private record Opened(TransactionManager tm, Connection conn) {
        @SuppressWarnings("unchecked")
        <K, V> PersistentTreeMap<K, V> tree(String name) {
            return (PersistentTreeMap<K, V>) conn.root().get(name);
        }
    }

    private Opened open() {
        TransactionManager tm = new TransactionManager(false);
        return new Opened(tm, db.open(tm));
    }

    @Test
    void twoConnectionsShareABucketsKeysButNotItsValues() {
        Opened a = open();
        Opened b = open();
        PersistentTreeMap<Long, Account> treeA = a.tree("accounts");
        PersistentTreeMap<Long, Account> treeB = b.tree("accounts");
        Account fromA = treeA.get(2468L);
        Account fromB = treeB.get(2468L);
        assertEquals(1234L, fromA.balance());
        assertEquals(1234L, fromB.balance());
        assertNotSame(fromA, fromB, "each connection has its own instance of an object");
        TreeBucket bucketA = treeA.find(2468L).bucket();
        TreeBucket bucketB = treeB.find(2468L).bucket();
        assertNotSame(bucketA, bucketB);
        assertSame(bucketA.keys(), bucketB.keys(), "one keys array for the revision");
        assertSame(bucketA.longKeys(bucketA.keys()), bucketB.longKeys(bucketB.keys()), "and one conversion to longs");
        int i = treeA.find(2468L).index();
        assertSame(fromA, bucketA.value(i));
        assertSame(fromB, bucketB.value(i));
        a.tm.abort();
        b.tm.abort();
    }

    @Test
    void aChangeGivesTheChangingConnectionKeysOfItsOwn() {
        Opened a = open();
        Opened b = open();
        PersistentTreeMap<Long, Account> treeA = a.tree("accounts");
        PersistentTreeMap<Long, Account> treeB = b.tree("accounts");
        treeA.get(2468L);
        treeB.get(2468L);
        Object[] shared = treeB.find(2468L).bucket().keys();
        int before = shared.length;
        treeA.put(2469L, a.conn.create(Account.class, "new", 1L));
        assertTrue(treeA.find(2469L).bucket().keys() != shared, "a change replaces the keys array");
        assertEquals(before, shared.length);
        assertTrue(!treeB.containsKey(2469L));
        a.tm.commit();
        b.tm.abort(); // a new transaction: the new revision
        assertEquals(1L, treeB.get(2469L).balance());
        assertEquals(1234L, treeB.get(2468L).balance());
    }

    @Test
    void keysThatCouldChangeAreNotShared() {
        Opened a = open();
        Opened b = open();
        PersistentTreeMap<Date, String> datedA = a.tree("dated");
        PersistentTreeMap<Date, String> datedB = b.tree("dated");
        assertEquals("d77", datedA.get(new Date(77)));
        assertEquals("d77", datedB.get(new Date(77)));
        assertTrue(datedA.find(new Date(77)).bucket().keys() != datedB.find(new Date(77)).bucket().keys(),
                "each connection decodes its own dates");
        a.tm.abort();
        b.tm.abort();
    }
}
