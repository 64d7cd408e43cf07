package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jodb.spi.Storage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Splits and unlinks of a {@link PersistentTreeMap}'s nodes racing each other: writer threads insert and
 * remove keys of their own (so that every order of their commits has one outcome) in a tree with nodes of
 * 4, with retries. Buckets split, empty and leave the tree, branches split and go, and concurrent changes of
 * one bucket merge. Afterwards the tree holds exactly every writer's own keys, in order, with the right size,
 * and every lookup and range answers as a {@link TreeMap} does. Public for the storage module, which runs it
 * on the file storage.
 */
public abstract class TreeStructureContractTest {
    private static final int WRITERS = 4;
    private static final int ROUNDS = 6;
    private static final int KEYS = 600;

    /**
     * The writer a key belongs to: runs of three keys, so that a bucket often holds one writer's keys only (its
     * owner may empty it) and buckets at the ends of runs hold two writers' keys (both change it).
     */
    private static int owner(int key) {
        return key / 3 % WRITERS;
    }

    /** A new, empty storage for one round. */
    protected abstract Storage newStorage(int round);

    @Test
    void concurrentSplitsAndUnlinksKeepEveryWritersKeysInOrder() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            try (Database db = Database.open(newStorage(round))) {
                runRound(db, round);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void runRound(Database db, int round) throws InterruptedException {
        TransactionManager setup = new TransactionManager(false);
        Connection conn = db.open(setup);
        PersistentTreeMap<Integer, Integer> tree = new PersistentTreeMap<>(null, 4, 4);
        List<TreeMap<Integer, Integer>> models = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            models.add(new TreeMap<>());
        }
        for (int key = 0; key < KEYS; key += 5) {
            tree.put(key, -1);
            models.get(owner(key)).put(key, -1);
        }
        conn.root().put("t", tree);
        setup.commit();
        conn.close();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            TreeMap<Integer, Integer> model = models.get(w);
            Random random = new Random(round * 100L + w);
            threads.add(new Thread(() -> {
                TransactionManager tm = new TransactionManager(false);
                Connection c = db.open(tm);
                try {
                    for (int n = 0; n < 60; n++) {
                        List<int[]> ops = new ArrayList<>(); // {key, 0 remove / else put, value}
                        int count = 1 + random.nextInt(1 + random.nextInt(3));
                        for (int i = 0; i < count; i++) {
                            int key;
                            do {
                                key = random.nextInt(KEYS);
                            } while (owner(key) != writer);
                            ops.add(new int[] {key, random.nextInt(3), n});
                        }
                        tm.run(500, () -> apply(ops, (NavigableMap<Integer, Integer>) c.root().get("t")));
                        apply(ops, model);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    tm.abort();
                    c.close();
                }
            }, "tree-writer-" + w));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(errors.isEmpty(), () -> "round " + round + ": " + errors);
        TreeMap<Integer, Integer> expected = new TreeMap<>();
        models.forEach(expected::putAll);
        TransactionManager check = new TransactionManager(false);
        NavigableMap<Integer, Integer> t = (NavigableMap<Integer, Integer>) db.open(check).root().get("t");
        String where = "round " + round;
        assertEquals(expected, new TreeMap<>(t), where);
        assertEquals(expected.size(), t.size(), where + ": the merged size counter");
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(t.keySet()), where + ": ascending");
        assertEquals(List.copyOf(expected.descendingKeySet()), List.copyOf(t.descendingKeySet()),
                where + ": descending");
        for (int key = -1; key <= KEYS; key++) {
            assertEquals(expected.get(key), t.get(key), where + ": get " + key);
            assertEquals(expected.ceilingKey(key), t.ceilingKey(key), where + ": ceiling " + key);
            assertEquals(expected.lowerKey(key), t.lowerKey(key), where + ": lower " + key);
            assertEquals(expected.headMap(key).size(), t.headMap(key).size(), where + ": head " + key);
        }
        check.abort();
    }

    private static Object apply(List<int[]> ops, NavigableMap<Integer, Integer> map) {
        for (int[] op : ops) {
            if (op[1] == 0) {
                map.remove(op[0]);
            } else {
                map.put(op[0], op[2]);
            }
        }
        return null;
    }
}
