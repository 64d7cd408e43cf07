package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.IntFunction;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random operation sequences on a PersistentMap against a LinkedHashMap model, across commits, aborts,
 * savepoint rollbacks, cache minimization and a tiny cache, reads from a second connection and a second database, with the
 * size crossing the chunk limits both ways; for keys of several kinds, since a large map finds a key
 * through a tree from its stable hash when every key has one, and through an index of every key else.
 */
public class PersistentMapModelTest {

    /** How a key is made from a number; the model and the map get the same keys. */
    public enum Keys {
        /** Stable hashes, all different. */
        INTEGERS(i -> i),
        /**
         * Stable hashes shared by many keys ("Aa" and "BB" have one hash): 40 hashes, each with keys in
         * many chunks, so a lookup tries several of the hash's slots.
         */
        COLLIDING_STRINGS(i -> "p" + (i % 40) + Integer.toBinaryString(4096 + i / 40).replace("0", "Aa")
                .replace("1", "BB")),
        /** No stable hash: the map keeps an index of every key. */
        PLAIN_OBJECTS(PlainKey::new),
        /**
         * Stable, with a few keys without a stable hash among the numbers 1500-2999, 4500-5999, ...: the
         * map drops its hash tree when the first comes and builds it again when they are all gone.
         */
        MIXED(i -> i / 1500 % 2 == 1 && i % 50 == 0 ? new PlainKey(i) : i);

        final IntFunction<Object> of;

        Keys(IntFunction<Object> of) {
            this.of = of;
        }
    }

    /** A key with a value hashCode that jodb does not know to be stable. */
    static final class PlainKey {
        final int id;

        PlainKey(int id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PlainKey k && k.id == id;
        }

        @Override
        public int hashCode() {
            return Objects.hash("plain", id);
        }

        @Override
        public String toString() {
            return "PlainKey" + id;
        }
    }

    @Test
    void randomOperationsMatchALinkedHashMap() {
        for (long seed = 1; seed <= 3; seed++) {
            MemoryStorage storage = new MemoryStorage();
            run(seed, 12_000, Keys.INTEGERS, Database.open(storage), old -> Database.open(storage));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Keys.class, names = {"COLLIDING_STRINGS", "PLAIN_OBJECTS", "MIXED"})
    void randomOperationsMatchALinkedHashMapWithOtherKeys(Keys keys) {
        for (long seed = 4; seed <= 5; seed++) {
            MemoryStorage storage = new MemoryStorage();
            run(seed, 12_000, keys, Database.open(storage), old -> Database.open(storage));
        }
    }

    /**
     * One run on {@code first}; at the end the model is compared with what {@code reopener} reads back (a
     * reopened file store, or a second database on the same memory storage). Closes the databases.
     */
    @SuppressWarnings("unchecked")
    public static void run(long seed, int steps, Keys keys, Database first, TreeModelRun.Reopener reopener) {
        Random rnd = new Random(seed);
        Database db = first;
        try {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            if (seed % 2 == 1) {
                conn.setCacheSize(3); // savepoints and commits turn clean chunks into ghosts
            }
            TransactionManager otherTm = new TransactionManager(false);
            Connection other = db.open(otherTm);
            conn.root().put("m", new PersistentMap<Object, Integer>());
            tm.commit();
            PersistentMap<Object, Integer> map = (PersistentMap<Object, Integer>) conn.root().get("m");
            LinkedHashMap<Object, Integer> model = new LinkedHashMap<>();
            LinkedHashMap<Object, Integer> committed = new LinkedHashMap<>();
            Savepoint savepoint = null;
            LinkedHashMap<Object, Integer> atSavepoint = null;
            int nextKey = 0;
            int target = 3 * PersistentMap.CHUNKED_ABOVE; // grow to this, then shrink to SINGLE_BELOW / 2
            int switches = 0;
            boolean sawHashTree = false;
            boolean chunked = false;
            for (int step = 0; step < steps; step++) {
                map.size(); // loaded, to see its form
                sawHashTree |= map.$jodbLayout() != null && map.$jodbLayout().hashTree() != null;
                if (chunked != (map.$jodbLayout() != null)) {
                    chunked = !chunked;
                    switches++;
                }
                String where = "seed " + seed + " step " + step;
                if (model.size() >= target) {
                    target = PersistentMap.SINGLE_BELOW / 2;
                } else if (model.size() <= target && target < PersistentMap.SINGLE_BELOW) {
                    target = 3 * PersistentMap.CHUNKED_ABOVE;
                }
                boolean growing = target > model.size();
                int op = rnd.nextInt(100);
                Object key = model.isEmpty() || rnd.nextInt(3) == 0 ? keys.of.apply(rnd.nextInt(nextKey + 1))
                        : pick(model, rnd);
                int value = rnd.nextInt(1000);
                if (op < 30 && growing) {
                    Object k = rnd.nextInt(4) == 0 ? key : keys.of.apply(nextKey++);
                    assertEquals(model.put(k, value), map.put(k, value), where);
                } else if (op < 30) {
                    assertEquals(model.remove(key), map.remove(key), where);
                } else if (op < 36) {
                    assertEquals(model.get(key), map.get(key), where);
                    assertEquals(model.containsKey(key), map.containsKey(key), where);
                    assertEquals(model.getOrDefault(key, -1), map.getOrDefault(key, -1), where);
                } else if (op < 40) {
                    Object k = growing ? keys.of.apply(nextKey++) : key;
                    assertEquals(model.putIfAbsent(k, value), map.putIfAbsent(k, value), where);
                } else if (op < 44) {
                    assertEquals(model.merge(key, value, Integer::sum), map.merge(key, value, Integer::sum), where);
                } else if (op < 47) {
                    Integer absent = growing ? (Integer) value : null;
                    assertEquals(model.compute(key, (k, v) -> v == null ? absent : (Integer) (v + 1)),
                            map.compute(key, (k, v) -> v == null ? absent : (Integer) (v + 1)), where);
                } else if (op < 50) {
                    assertEquals(model.replace(key, value), map.replace(key, value), where);
                } else if (op < 53) {
                    Integer v = model.get(key);
                    assertEquals(model.remove(key, v), map.remove(key, v), where);
                } else if (op < 58 && !growing) {
                    int n = rnd.nextInt(300);
                    removeFirst(model.keySet().iterator(), n, key);
                    removeFirst(map.keySet().iterator(), n, key);
                } else if (op < 60) {
                    Iterator<Map.Entry<Object, Integer>> a = model.entrySet().iterator();
                    Iterator<Map.Entry<Object, Integer>> b = map.entrySet().iterator();
                    for (int i = rnd.nextInt(model.size() + 1); i > 0; i--) {
                        Map.Entry<Object, Integer> ea = a.next();
                        Map.Entry<Object, Integer> eb = b.next();
                        assertEquals(ea, eb, where);
                        if (i % 7 == 0) {
                            assertEquals(ea.setValue(i), eb.setValue(i), where);
                        }
                    }
                } else if (op < 61 && rnd.nextInt(4) == 0) {
                    model.replaceAll((k, v) -> v ^ k.hashCode());
                    map.replaceAll((k, v) -> v ^ k.hashCode());
                } else if (op < 62 && rnd.nextInt(20) == 0) {
                    model.clear();
                    map.clear();
                } else if (op < 75) {
                    LinkedHashMap<Object, Integer> batch = new LinkedHashMap<>();
                    for (int i = rnd.nextInt(growing ? 200 : 3); i > 0; i--) {
                        batch.put(growing ? keys.of.apply(nextKey++) : key, value + i);
                    }
                    model.putAll(batch);
                    map.putAll(batch);
                } else if (op < 82) {
                    tm.commit();
                    committed = new LinkedHashMap<>(model);
                    savepoint = null;
                    if (rnd.nextInt(4) == 0) {
                        conn.cacheMinimize();
                    }
                    if (rnd.nextInt(3) == 0) {
                        otherTm.begin();
                        Map<Object, Integer> seen = (Map<Object, Integer>) other.root().get("m");
                        if (rnd.nextBoolean()) {
                            seen.containsKey(key); // builds the index, which the next commits must not leave stale
                        }
                        assertEquals(new ArrayList<>(committed.entrySet()), new ArrayList<>(seen.entrySet()), where);
                        assertEquals(committed.get(key), seen.get(key), where);
                        otherTm.abort();
                    }
                } else if (op < 85) {
                    tm.abort();
                    model = new LinkedHashMap<>(committed);
                    savepoint = null;
                } else if (op < 90) {
                    savepoint = tm.savepoint();
                    atSavepoint = new LinkedHashMap<>(model);
                } else if (op < 94 && savepoint != null) {
                    savepoint.rollback();
                    model = new LinkedHashMap<>(atSavepoint);
                }
                if (step % 97 == 0) {
                    assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(map.entrySet()), where);
                    assertEquals(model.size(), map.size(), where);
                    assertEquals(model.hashCode(), map.hashCode(), where);
                }
            }
            tm.commit();
            if (keys != Keys.PLAIN_OBJECTS) {
                assertTrue(sawHashTree, "seed " + seed + ": the map never had its hash tree");
            }
            assertTrue(switches >= 4, "seed " + seed + ": the form switched " + switches + " times");
            Database reopened = reopener.reopen(db);
            db = reopened;
            try (Database again = reopened) {
                TransactionManager t = new TransactionManager(false);
                Map<Object, Integer> read = (Map<Object, Integer>) again.open(t).root().get("m");
                for (int i = 0; i < nextKey + 10; i += 7) { // cold lookups first: through the tree when it has one
                    Object k = keys.of.apply(i);
                    assertEquals(model.get(k), read.get(k), "reopened, key " + k);
                }
                assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(read.entrySet()), "reopened");
                t.abort();
            }
        } finally {
            db.close();
            first.close(); // (a second close does nothing)
        }
    }

    private static Object pick(LinkedHashMap<Object, Integer> model, Random rnd) {
        // a key near the start or the end, where chunks are added, dropped and merged
        List<Object> keys = new ArrayList<>(model.keySet());
        int i = rnd.nextInt(Math.min(keys.size(), 50));
        return rnd.nextBoolean() ? keys.get(i) : keys.get(keys.size() - 1 - i);
    }

    private static void removeFirst(Iterator<Object> it, int n, Object alsoKey) {
        for (int i = 0; it.hasNext(); i++) {
            Object k = it.next();
            if (i < n && (i % 2 == 0 || k.equals(alsoKey))) {
                it.remove();
            }
        }
    }
}
