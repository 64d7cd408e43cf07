package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections of one database that load the same revision of a large map's chunk share its decoded entries
 * ({@link SharedRevisions}), and none of them can reach another's objects or changes through them: each
 * hands out its own instances, a change copies the entries first (through the map, an iterator's entry or its
 * remove, a forEach), and a chunk holding a mutable value is not shared at all.
 */
class SharedRevisionsTest {
    private static final int ENTRIES = 3_000;
    private final MemoryStorage storage = new MemoryStorage();
    private Database db;

    @BeforeEach
    void fill() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm); // a database of its own: its pool keeps this connection
        PersistentMap<String, Object> accounts = new PersistentMap<>();
        PersistentMap<String, Object> numbers = new PersistentMap<>();
        PersistentMap<String, Object> plain = new PersistentMap<>();
        conn.root().put("accounts", accounts);
        conn.root().put("numbers", numbers);
        conn.root().put("plain", plain);
        for (int i = 0; i < ENTRIES; i++) {
            accounts.put("k" + i, conn.create(Account.class, "owner" + i, (long) i));
            numbers.put("n" + i, (long) i);
            plain.put("p" + i, (long) i);
        }
        numbers.put("list", new ArrayList<>(List.of(1L, 2L))); // a mutable value: its chunk, the last, is not shared
        tm.commit();
        db = Database.open(storage); // its connections start cold
    }

    @AfterEach
    void close() {
        db.close();
    }

    private record Opened(TransactionManager tm, Connection conn) {
        @SuppressWarnings("unchecked")
        PersistentMap<String, Object> map(String name) {
            return (PersistentMap<String, Object>) conn.root().get(name);
        }
    }

    private Opened open() {
        TransactionManager tm = new TransactionManager(false);
        return new Opened(tm, db.open(tm));
    }

    /** The entries chunk {@code i} of {@code map} holds now, loaded. */
    private static LinkedHashMap<Object, Object> entries(PersistentMap<String, Object> map, int i) {
        map.size(); // loads the map
        return ((MapRecord) map).$jodbLayout().chunks().get(i).forKeys();
    }

    /** The record's bytes chunk {@code i} of {@code map} keeps to compare with at commit. */
    private static byte[] saved(PersistentMap<String, Object> map, int i) {
        return ((MapRecord) map).$jodbLayout().chunks().get(i).$jodbState().saved;
    }

    private static int chunks(PersistentMap<String, Object> map) {
        map.size(); // loads the map
        return ((MapRecord) map).$jodbLayout().chunks().size();
    }

    @Test
    void twoConnectionsReadOneDecodingOfEachChunkAndHandOutTheirOwnInstances() {
        Opened a = open();
        Opened b = open();
        PersistentMap<String, Object> mapA = a.map("accounts");
        PersistentMap<String, Object> mapB = b.map("accounts");
        Account fromA = (Account) mapA.get("k1234");
        Account fromB = (Account) mapB.get("k1234");
        assertEquals(1234L, fromA.balance());
        assertEquals(1234L, fromB.balance());
        assertNotSame(fromA, fromB, "each connection has its own instance of an object");
        assertSame(fromA, mapA.get("k1234"), "and one instance per oid");
        assertTrue(chunks(mapA) > 2);
        for (int i = 0; i < chunks(mapA); i++) {
            assertTrue(entries(mapA, i) == entries(mapB, i), "chunk " + i + " is decoded once");
            assertTrue(saved(mapA, i) == saved(mapB, i), "and its record's bytes kept once");
        }
        for (Object value : entries(mapA, 2).values()) {
            assertTrue(!(value instanceof Account), "a shared chunk holds no connection's instance: " + value);
        }
        a.tm.abort();
        b.tm.abort();
    }

    @Test
    void aChangeCopiesTheEntriesAndReachesTheOtherConnectionOnlyWhenCommitted() {
        Opened a = open();
        Opened b = open();
        PersistentMap<String, Object> numbersA = a.map("numbers");
        PersistentMap<String, Object> numbersB = b.map("numbers");
        assertEquals(7L, numbersA.get("n7"));
        assertEquals(7L, numbersB.get("n7"));
        LinkedHashMap<Object, Object> shared = entries(numbersB, 0);
        assertTrue(shared == entries(numbersA, 0), "one decoding");

        numbersA.put("n7", -7L);
        numbersA.remove("n8");
        assertEquals(-7L, numbersA.get("n7"));
        assertEquals(7L, numbersB.get("n7"), "the other connection's snapshot is unchanged");
        assertEquals(8L, numbersB.get("n8"));
        assertEquals(7L, shared.get("n7"), "the shared entries are unchanged");
        assertTrue(shared.containsKey("n8"));
        assertTrue(shared != entries(numbersA, 0), "a changed chunk has entries of its own");

        a.tm.commit();
        b.tm.abort(); // a new transaction: the new revision
        assertEquals(-7L, numbersB.get("n7"));
        assertTrue(!numbersB.containsKey("n8"));
        assertEquals(7L, shared.get("n7"), "a revision's shared entries never change");
    }

    @Test
    void anIteratorsSetValueAndRemoveChangeOnlyTheirOwnConnection() {
        Opened a = open();
        Opened b = open();
        PersistentMap<String, Object> numbersA = a.map("numbers");
        PersistentMap<String, Object> numbersB = b.map("numbers");
        numbersB.get("n0");
        LinkedHashMap<Object, Object> shared = entries(numbersB, 0);
        assertTrue(shared == entries(numbersA, 0), "one decoding");
        Iterator<String> keys = numbersA.keySet().iterator(); // touches nothing, but walks entries of its own
        assertEquals("n0", keys.next());
        assertTrue(shared != entries(numbersA, 0), "a walk of the keys copies the shared entries first");
        assertEquals("n1", keys.next());
        keys.remove();
        assertEquals("n2", keys.next(), "the walk goes on after the remove");
        Iterator<Map.Entry<String, Object>> it = numbersA.entrySet().iterator(); // touches each chunk it reaches
        Map.Entry<String, Object> first = it.next();
        assertEquals("n0", first.getKey());
        first.setValue(100L);
        Map.Entry<String, Object> second = it.next();
        assertEquals("n2", second.getKey());
        second.setValue(200L);
        assertEquals(100L, numbersA.get("n0"));
        assertTrue(!numbersA.containsKey("n1"));
        assertEquals(200L, numbersA.get("n2"));
        assertEquals(0L, shared.get("n0"));
        assertEquals(1L, shared.get("n1"));
        assertEquals(2L, shared.get("n2"));
        assertEquals(0L, numbersB.get("n0"));
        assertEquals(1L, numbersB.get("n1"));
        a.tm.commit();
        b.tm.abort();
        assertEquals(100L, numbersB.get("n0"));
        assertTrue(!numbersB.containsKey("n1"));
        assertEquals(200L, numbersB.get("n2"));
    }

    @Test
    void forEachMayReplaceValuesButNotRemoveKeys() {
        Opened a = open();
        Opened b = open();
        PersistentMap<String, Object> numbersA = a.map("numbers");
        b.map("numbers").get("n0");
        LinkedHashMap<Object, Object> shared = entries(b.map("numbers"), 0);
        long[] sum = {0};
        numbersA.forEach((k, v) -> {
            if (v instanceof Long n) {
                numbersA.put(k, n + 1);
                sum[0] += n;
            }
        });
        assertEquals((long) ENTRIES * (ENTRIES - 1) / 2, sum[0], "every value handed out once, as it was");
        assertEquals(1L, numbersA.get("n0"));
        assertEquals((long) ENTRIES, numbersA.get("n" + (ENTRIES - 1)));
        assertEquals(0L, shared.get("n0"));
        a.tm.commit();

        assertThrows(ConcurrentModificationException.class, () -> numbersA.forEach((k, v) -> numbersA.remove("n5")));
        a.tm.abort();
        assertEquals(5L + 1, numbersA.get("n5"), "the failed transaction is gone");
    }

    @Test
    void aSavepointRollbackOfAChangedChunkLeavesTheSharedEntriesAlone() {
        Opened a = open();
        Opened b = open();
        PersistentMap<String, Object> numbersA = a.map("numbers");
        PersistentMap<String, Object> numbersB = b.map("numbers");
        numbersB.get("n3");
        numbersA.put("n3", 30L);
        Savepoint savepoint = a.tm.savepoint();
        numbersA.put("n3", 300L);
        numbersA.put("n4", 400L);
        savepoint.rollback();
        assertEquals(30L, numbersA.get("n3"));
        assertEquals(4L, numbersA.get("n4"));
        assertEquals(3L, numbersB.get("n3"));
        assertEquals(3L, entries(numbersB, 0).get("n3"));
        a.tm.abort();
        assertEquals(3L, numbersA.get("n3"));
        assertTrue(entries(numbersB, 0) == entries(numbersA, 0), "after the abort, the committed revision is shared again");
    }

    @Test
    void aChunkHoldingAMutableValueIsNotShared() {
        Opened a = open();
        Opened b = open();
        PersistentMap<String, Object> numbersA = a.map("numbers");
        PersistentMap<String, Object> numbersB = b.map("numbers");
        @SuppressWarnings("unchecked")
        List<Long> list = (List<Long>) numbersA.get("list");
        numbersB.get("list");
        int last = chunks(numbersA) - 1;
        assertTrue(entries(numbersA, last) != entries(numbersB, last), "the chunk with a list is each connection's own");
        assertTrue(entries(numbersA, 0) == entries(numbersB, 0), "the others are shared");
        list.add(3L);
        a.tm.commit();
        b.tm.abort();
        assertEquals(List.of(1L, 2L, 3L), numbersB.get("list"));
    }

    /** The first key of the last chunk of {@code map}, where new keys go. */
    private static int tailFirst(PersistentMap<String, Object> map) {
        return (chunks(map) - 1) * MapLayout.CHUNK_CAPACITY;
    }

    /** A walk of the keys fails fast when the map changes under it, as the JDK's do, though its chunk was shared. */
    @Test
    void aWalkOfTheKeysFailsFastWhenAPassedKeyIsRemoved() {
        Opened a = open();
        PersistentMap<String, Object> plain = a.map("plain");
        Iterator<String> keys = plain.keySet().iterator();
        assertEquals("p0", keys.next());
        plain.remove("p0");
        assertThrows(ConcurrentModificationException.class, keys::next);
        a.tm.abort();
    }

    @Test
    void aWalkOfTheKeysFailsFastWhenAKeyIsAddedToTheChunkItWalks() {
        Opened a = open();
        Opened b = open();
        PersistentMap<String, Object> plain = a.map("plain");
        b.map("plain").get("p" + tailFirst(b.map("plain")));
        LinkedHashMap<Object, Object> shared = entries(b.map("plain"), chunks(plain) - 1);
        Iterator<String> keys = plain.keySet().iterator();
        for (int seen = 0; seen <= tailFirst(plain); seen++) {
            keys.next();
        }
        plain.put("new", 1L);
        List<String> rest = new ArrayList<>();
        assertThrows(ConcurrentModificationException.class, () -> {
            while (keys.hasNext()) {
                rest.add(keys.next());
            }
        }, () -> "walked on: " + rest.size() + " more keys");
        assertTrue(!shared.containsKey("new"), "the shared entries are unchanged");
        a.tm.abort();
    }

    @Test
    void forEachFailsWhenTheActionRemovesAndAddsAKey() {
        Opened a = open();
        PersistentMap<String, Object> plain = a.map("plain");
        int first = tailFirst(plain);
        List<String> seen = new ArrayList<>();
        assertThrows(ConcurrentModificationException.class, () -> plain.forEach((k, v) -> {
            seen.add(k);
            if (k.equals("p" + (first + 1))) {
                plain.remove("p" + first);
                plain.put("added", 1L);
            }
        }));
        a.tm.abort();
    }

    @Test
    void forEachGoesOnOverTheChunksOwnEntriesAfterTheActionReplacesAValue() {
        Opened a = open();
        PersistentMap<String, Object> plain = a.map("plain");
        List<Object> values = new ArrayList<>();
        plain.forEach((k, v) -> {
            values.add(v);
            if (k.equals("p3")) {
                plain.put("p5", -5L); // a later value of the same chunk, changed before the walk reaches it
            }
        });
        assertEquals(ENTRIES, values.size());
        assertEquals(-5L, values.get(5), "the walk hands out the value the chunk holds when it gets there");
        assertEquals(6L, values.get(6));
        a.tm.abort();
    }

    /**
     * Readers in threads of their own, each with its connection, read every value while a writer commits new
     * values to every key again and again: each snapshot shows one generation, whichever connection decoded
     * the chunks it reads.
     */
    @Test
    void readersInManyThreadsSeeOneCommitsValuesInEachSnapshot() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> {
                    Opened o = open();
                    int snapshots = 0;
                    while (!done.get() || snapshots < 3) {
                        PersistentMap<String, Object> numbers = o.map("numbers");
                        long generation = (Long) numbers.get("n0") / ENTRIES;
                        for (int i = 0; i < ENTRIES; i += 7) {
                            assertEquals(generation * ENTRIES + i, numbers.get("n" + i), "n" + i);
                        }
                        o.tm.abort();
                        snapshots++;
                    }
                    o.conn.close();
                    return snapshots;
                }));
            }
            Opened w = open();
            PersistentMap<String, Object> numbers = w.map("numbers");
            for (int generation = 1; generation <= 20; generation++) {
                for (int i = 0; i < ENTRIES; i++) {
                    numbers.put("n" + i, (long) generation * ENTRIES + i);
                }
                w.tm.commit();
            }
            done.set(true);
            for (Future<Integer> reader : readers) {
                assertTrue(reader.get(60, TimeUnit.SECONDS) >= 3);
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }
}
