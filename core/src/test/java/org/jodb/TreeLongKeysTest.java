package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Comparator;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * A tree of {@code Long} keys in natural order searches its loaded, unchanged nodes through their keys as
 * longs (a large map's hash index is such a tree): every lookup must answer as {@code TreeMap} does, in nodes
 * searched that way (committed), in nodes being changed (touched, searched key by key), after a change made
 * them different arrays, after they were ghosted and loaded again, and in a tree ordered by a comparator
 * (never searched as longs).
 */
class TreeLongKeysTest {
    private static final int KEYS = 3_000;

    @Test
    void lookupsInSettledChangedAndReloadedNodesAnswerAsTreeMap() {
        check(null);
    }

    @Test
    void aTreeOrderedByAComparatorAnswersAsTreeMap() {
        check(Comparator.reverseOrder());
    }

    @Test
    void aKeyOfAnotherTypeIsRefusedAsBefore() {
        Database db = Database.open(new MemoryStorage());
        TransactionManager tm = new TransactionManager(false);
        Connection conn = db.open(tm);
        PersistentTreeMap<Object, String> tree = new PersistentTreeMap<>();
        conn.root().put("t", tree);
        tree.put(1L, "one");
        tree.put(2L, "two");
        tm.commit();
        assertThrows(ClassCastException.class, () -> tree.get(1)); // an Integer beside Long keys
        assertEquals("one", tree.get(1L));
        tm.abort();
    }

    private static void check(Comparator<Long> order) {
        Database db = Database.open(new MemoryStorage());
        TransactionManager tm = new TransactionManager(false);
        Connection conn = db.open(tm);
        PersistentTreeMap<Long, String> tree = new PersistentTreeMap<>(order, 4, 4); // many nodes, 4 levels
        TreeMap<Long, String> model = new TreeMap<>(order);
        conn.root().put("t", tree);
        Random random = new Random(7);
        for (int i = 0; i < KEYS; i++) {
            long key = i == 0 ? Long.MIN_VALUE : i == 1 ? Long.MAX_VALUE : random.nextLong() >> random.nextInt(64);
            tree.put(key, "v" + i);
            model.put(key, "v" + i);
        }
        tm.commit();
        compare(tree, model, random); // loaded and unchanged since the commit
        for (int i = 0; i < KEYS / 3; i++) { // touched: searched key by key, new key arrays
            long key = model.keySet().stream().skip(random.nextInt(model.size())).findFirst().orElseThrow();
            if (i % 2 == 0) {
                assertEquals(model.remove(key), tree.remove(key));
            } else {
                long added = key + 1;
                assertEquals(model.put(added, "w" + i), tree.put(added, "w" + i));
            }
        }
        compare(tree, model, random);
        tm.commit();
        compare(tree, model, random); // unchanged again, with the arrays the changes made
        conn.cacheMinimize(); // every node a ghost: loaded again by the lookups
        compare(tree, model, random);
        tm.abort();
        db.close();
    }

    private static void compare(NavigableMap<Long, String> tree, TreeMap<Long, String> model, Random random) {
        assertEquals(model.size(), tree.size());
        assertEquals(model.firstKey(), tree.firstKey());
        assertEquals(model.lastKey(), tree.lastKey());
        for (Long key : model.keySet()) {
            assertEquals(model.get(key), tree.get(key), "key " + key);
        }
        for (int i = 0; i < 2_000; i++) {
            long probe = random.nextLong() >> random.nextInt(64);
            assertEquals(model.get(probe), tree.get(probe), "absent key " + probe);
            assertEquals(model.ceilingKey(probe), tree.ceilingKey(probe), "ceiling " + probe);
            assertEquals(model.floorKey(probe), tree.floorKey(probe), "floor " + probe);
            assertEquals(model.higherKey(probe), tree.higherKey(probe), "higher " + probe);
            assertEquals(model.lowerKey(probe), tree.lowerKey(probe), "lower " + probe);
        }
    }
}
