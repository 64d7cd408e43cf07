package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Two connections change mostly disjoint keys of one PersistentMap in overlapping transactions, committing in
 * random order, while the map grows past the chunk limit and shrinks back to one record: each second
 * commit is merged by conflict resolution (never when both changed one key differently) or, where the
 * javadoc and LIMITATIONS say it conflicts, retried; both
 * connections, and a new database on the same storage, must then see exactly a TreeMap model.
 */
class PersistentMapMergeModelTest {
    record Op(int key, Integer value) { // null value: remove
    }

    @SuppressWarnings("unchecked")
    @Test
    void interleavedCommitsMergeOrConflictAsAStateModelSays() {
        for (long seed = 1; seed <= 4; seed++) {
            Random rnd = new Random(seed);
            MemoryStorage storage = new MemoryStorage();
            try (Database db = Database.open(storage)) {
                TransactionManager ta = new TransactionManager(false);
                TransactionManager tb = new TransactionManager(false);
                Connection a = db.open(ta);
                Connection b = db.open(tb);
                if (seed % 2 == 0) {
                    a.setCacheSize(1);
                    b.setCacheSize(1);
                }
                PersistentMap<Integer, Integer> m0 = new PersistentMap<>();
                int start = seed == 1 ? 100 : PersistentMap.CHUNKED_ABOVE - 20 + rnd.nextInt(40);
                Map<Integer, Integer> model = new TreeMap<>();
                for (int i = 0; i < start; i++) {
                    m0.put(i * 2 + (i % 2), i); // even keys -> A, odd -> B
                    model.put(i * 2 + (i % 2), i);
                }
                a.root().put("m", m0);
                ta.commit();
                int conflicts = 0;
                for (int round = 0; round < 60; round++) {
                    boolean shrinking = round >= 30;
                    String where = "seed " + seed + " round " + round;
                    List<Op> opsA = ops(rnd, 0, start, shrinking);
                    List<Op> opsB = ops(rnd, 1, start, shrinking);
                    ta.begin();
                    tb.begin();
                    apply((PersistentMap<Integer, Integer>) a.root().get("m"), opsA);
                    apply((PersistentMap<Integer, Integer>) b.root().get("m"), opsB);
                    boolean aFirst = rnd.nextBoolean();
                    TransactionManager first = aFirst ? ta : tb;
                    TransactionManager second = aFirst ? tb : ta;
                    Connection secondConn = aFirst ? b : a;
                    List<Op> secondOps = aFirst ? opsB : opsA;
                    Map<Integer, Integer> base = new TreeMap<>(model);
                    Map<Integer, Integer> diffFirst = diff(base, aFirst ? opsA : opsB);
                    Map<Integer, Integer> diffSecond = diff(base, secondOps);
                    first.commit();
                    applyModel(model, aFirst ? opsA : opsB);
                    try {
                        second.commit();
                        // merged: both changes, and none of one key changed differently by both
                        for (Map.Entry<Integer, Integer> e : diffSecond.entrySet()) {
                            if (diffFirst.containsKey(e.getKey())) {
                                assertEquals(diffFirst.get(e.getKey()), e.getValue(),
                                        where + ": key " + e.getKey() + " changed differently by both, yet merged");
                            }
                            if (e.getValue() == null) {
                                model.remove(e.getKey());
                            } else {
                                model.put(e.getKey(), e.getValue());
                            }
                        }
                    } catch (ConflictException e) {
                        conflicts++;
                        second.abort();
                        second.begin();
                        apply((PersistentMap<Integer, Integer>) secondConn.root().get("m"), secondOps);
                        second.commit();
                        applyModel(model, secondOps);
                    }
                    ta.begin();
                    tb.begin();
                    assertEquals(model, new TreeMap<>((PersistentMap<Integer, Integer>) a.root().get("m")), where + " a");
                    assertEquals(model, new TreeMap<>((PersistentMap<Integer, Integer>) b.root().get("m")), where + " b");
                    assertEquals(model.size(), ((PersistentMap<Integer, Integer>) b.root().get("m")).size(), where);
                    for (Map.Entry<Integer, Integer> e : model.entrySet()) {
                        if (rnd.nextInt(20) == 0) {
                            assertEquals(e.getValue(), ((PersistentMap<Integer, Integer>) a.root().get("m")).get(e.getKey()), where);
                        }
                    }
                    ta.abort();
                    tb.abort();
                }
                assertTrue(model.size() < PersistentMap.SINGLE_BELOW || seed == 1, "shrank back to one record");
                assertTrue(conflicts < 45, "most second commits merge: " + conflicts);
                Connection fresh = Database.open(storage).open(new TransactionManager(false));
                assertEquals(model, new TreeMap<>((PersistentMap<Integer, Integer>) fresh.root().get("m")));
            }
        }
    }

    private static List<Op> ops(Random rnd, int parity, int start, boolean shrinking) {
        List<Op> ops = new ArrayList<>();
        int n = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 600 : 20);
        for (int i = 0; i < n; i++) {
            int key = rnd.nextInt(start + 800) * 2 + (rnd.nextInt(16) == 0 ? 1 - parity : parity);
            boolean remove = shrinking ? rnd.nextInt(10) != 0 : rnd.nextInt(3) == 0;
            ops.add(new Op(key, remove ? null : rnd.nextInt(1000)));
        }
        if (shrinking) {
            for (int key = parity; key < (start + 800) * 2; key += 2 * (1 + rnd.nextInt(3))) {
                ops.add(new Op(key, null));
            }
        }
        return ops;
    }

    /** The keys {@code ops} change in {@code base}, with their new value (null: removed). */
    private static Map<Integer, Integer> diff(Map<Integer, Integer> base, List<Op> ops) {
        Map<Integer, Integer> after = new TreeMap<>(base);
        applyModel(after, ops);
        Map<Integer, Integer> changed = new TreeMap<>();
        for (Integer k : base.keySet()) {
            if (!after.containsKey(k)) {
                changed.put(k, null);
            }
        }
        after.forEach((k, v) -> {
            if (!v.equals(base.get(k))) {
                changed.put(k, v);
            }
        });
        return changed;
    }

    private static void apply(PersistentMap<Integer, Integer> m, List<Op> ops) {
        for (Op op : ops) {
            if (op.value() == null) {
                m.remove(op.key());
            } else {
                m.put(op.key(), op.value());
            }
        }
    }

    private static void applyModel(Map<Integer, Integer> m, List<Op> ops) {
        for (Op op : ops) {
            if (op.value() == null) {
                m.remove(op.key());
            } else {
                m.put(op.key(), op.value());
            }
        }
    }
}
