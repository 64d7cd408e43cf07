package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Random operation sequences on a PersistentMap against a LinkedHashMap model, across commits, aborts,
 * savepoint rollbacks, cache minimization and a tiny cache, reads from a second connection and a second database, with the
 * size crossing the chunk limits both ways.
 */
class PersistentMapModelTest {

    @Test
    void randomOperationsMatchALinkedHashMap() {
        for (long seed = 1; seed <= 3; seed++) {
            run(seed, 12_000);
        }
    }

    @SuppressWarnings("unchecked")
    private static void run(long seed, int steps) {
        Random rnd = new Random(seed);
        MemoryStorage storage = new MemoryStorage();
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            if (seed % 2 == 1) {
                conn.setCacheSize(3); // savepoints and commits turn clean chunks into ghosts
            }
            TransactionManager otherTm = new TransactionManager(false);
            Connection other = db.open(otherTm);
            conn.root().put("m", new PersistentMap<Integer, Integer>());
            tm.commit();
            PersistentMap<Integer, Integer> map = (PersistentMap<Integer, Integer>) conn.root().get("m");
            LinkedHashMap<Integer, Integer> model = new LinkedHashMap<>();
            LinkedHashMap<Integer, Integer> committed = new LinkedHashMap<>();
            Savepoint savepoint = null;
            LinkedHashMap<Integer, Integer> atSavepoint = null;
            int nextKey = 0;
            int target = 3 * PersistentMap.CHUNKED_ABOVE; // grow to this, then shrink to SINGLE_BELOW / 2
            int switches = 0;
            boolean chunked = false;
            for (int step = 0; step < steps; step++) {
                map.size(); // loaded, to see its form
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
                Integer key = model.isEmpty() || rnd.nextInt(3) == 0 ? rnd.nextInt(nextKey + 1)
                        : pick(model, rnd);
                int value = rnd.nextInt(1000);
                if (op < 30 && growing) {
                    int k = rnd.nextInt(4) == 0 ? key : nextKey++;
                    assertEquals(model.put(k, value), map.put(k, value), where);
                } else if (op < 30) {
                    assertEquals(model.remove(key), map.remove(key), where);
                } else if (op < 36) {
                    assertEquals(model.get(key), map.get(key), where);
                    assertEquals(model.containsKey(key), map.containsKey(key), where);
                    assertEquals(model.getOrDefault(key, -1), map.getOrDefault(key, -1), where);
                } else if (op < 40) {
                    int k = growing ? nextKey++ : key;
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
                    Iterator<Map.Entry<Integer, Integer>> a = model.entrySet().iterator();
                    Iterator<Map.Entry<Integer, Integer>> b = map.entrySet().iterator();
                    for (int i = rnd.nextInt(model.size() + 1); i > 0; i--) {
                        Map.Entry<Integer, Integer> ea = a.next();
                        Map.Entry<Integer, Integer> eb = b.next();
                        assertEquals(ea, eb, where);
                        if (i % 7 == 0) {
                            assertEquals(ea.setValue(i), eb.setValue(i), where);
                        }
                    }
                } else if (op < 61 && rnd.nextInt(4) == 0) {
                    model.replaceAll((k, v) -> v ^ k);
                    map.replaceAll((k, v) -> v ^ k);
                } else if (op < 62 && rnd.nextInt(20) == 0) {
                    model.clear();
                    map.clear();
                } else if (op < 75) {
                    LinkedHashMap<Integer, Integer> batch = new LinkedHashMap<>();
                    for (int i = rnd.nextInt(growing ? 200 : 3); i > 0; i--) {
                        batch.put(growing ? nextKey++ : key, value + i);
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
                        Map<Integer, Integer> seen = (Map<Integer, Integer>) other.root().get("m");
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
            assertTrue(switches >= 4, "seed " + seed + ": the form switched " + switches + " times");
            try (Database again = Database.open(storage)) {
                TransactionManager t = new TransactionManager(false);
                Map<Integer, Integer> read = (Map<Integer, Integer>) again.open(t).root().get("m");
                assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(read.entrySet()), "reopened");
                t.abort();
            }
        }
    }

    private static Integer pick(LinkedHashMap<Integer, Integer> model, Random rnd) {
        // a key near the start or the end, where chunks are added, dropped and merged
        List<Integer> keys = new ArrayList<>(model.keySet());
        int i = rnd.nextInt(Math.min(keys.size(), 50));
        return rnd.nextBoolean() ? keys.get(i) : keys.get(keys.size() - 1 - i);
    }

    private static void removeFirst(Iterator<Integer> it, int n, int alsoKey) {
        for (int i = 0; it.hasNext(); i++) {
            Integer k = it.next();
            if (i < n && (i % 2 == 0 || k == alsoKey)) {
                it.remove();
            }
        }
    }
}
