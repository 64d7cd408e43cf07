package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/** Iteration that outlives ghosting and savepoints, values changed in place, equality, and comparators in merges. */
class PersistentTreeViewsTest {

    @Test
    @SuppressWarnings("unchecked")
    void iterationGoesOnWhileTheCacheGhostsTheBucketsUnderIt() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(new MemoryStorage()).open(tm);
        PersistentTreeMap<Integer, String> tree = new PersistentTreeMap<>(null, 8, 4);
        TreeMap<Integer, String> model = new TreeMap<>();
        for (int i = 0; i < 1000; i++) {
            tree.put(i, "v" + i);
            model.put(i, "v" + i);
        }
        conn.root().put("t", tree);
        tm.commit();
        Iterator<Map.Entry<Integer, String>> it = tree.descendingMap().entrySet().iterator();
        Iterator<Map.Entry<Integer, String>> expected = model.descendingMap().entrySet().iterator();
        for (int n = 0; expected.hasNext(); n++) {
            assertEquals(expected.next(), it.next());
            if (n % 3 == 0) {
                it.remove();
                expected.remove();
            }
            if (n % 50 == 0) {
                tm.savepoint(); // flushes the changed buckets; the cache may ghost clean ones
                conn.cacheMinimize();
            }
        }
        assertTrue(!it.hasNext());
        tm.commit();
        conn.cacheMinimize();
        assertEquals(model, tree);
        assertEquals(model.size(), tree.size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aValueChangedInPlaceIsCommitted() {
        MemoryStorage storage = new MemoryStorage();
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        PersistentTreeMap<String, List<String>> tree = new PersistentTreeMap<>();
        tree.put("k", new ArrayList<>());
        conn.root().put("t", tree);
        tm.commit();
        tree.get("k").add("through get");
        tm.commit();
        for (Map.Entry<String, List<String>> e : tree.entrySet()) {
            e.getValue().add("through iteration");
        }
        tm.commit();
        TransactionManager again = new TransactionManager(false);
        Map<String, List<String>> read = (Map<String, List<String>>) Database.open(storage).open(again).root().get("t");
        assertEquals(List.of("through get", "through iteration"), read.get("k"));
    }

    @Test
    void equalityHashCodeAndTextAreThoseOfJavaUtil() {
        PersistentTreeMap<String, Integer> map = new PersistentTreeMap<>();
        PersistentTreeSet<String> set = new PersistentTreeSet<>();
        Map<String, Integer> hashMap = new HashMap<>();
        for (String s : List.of("b", "a", "c")) {
            map.put(s, s.length());
            set.add(s);
            hashMap.put(s, s.length());
        }
        assertEquals(hashMap, map);
        assertEquals(map, hashMap);
        assertEquals(hashMap.hashCode(), map.hashCode());
        assertEquals("{a=1, b=1, c=1}", map.toString());
        assertEquals(new HashSet<>(List.of("a", "b", "c")), set);
        assertEquals(set, new TreeSet<>(List.of("c", "b", "a")));
        assertEquals(new HashSet<>(List.of("a", "b", "c")).hashCode(), set.hashCode());
        assertEquals("[a, b, c]", set.toString());
        assertEquals("[c, b, a]", set.descendingSet().toString());
        assertEquals(map.keySet(), set);
    }

    @Test
    void viewsRefuseKeysOutsideTheirRangeLikeTreeMaps() {
        PersistentTreeMap<Integer, String> map = new PersistentTreeMap<>();
        NavigableMap<Integer, String> view = map.subMap(10, true, 20, false);
        assertThrows(IllegalArgumentException.class, () -> view.put(20, "x"));
        assertThrows(IllegalArgumentException.class, () -> view.subMap(5, 15));
        assertThrows(IllegalArgumentException.class, () -> map.subMap(20, 10));
        assertThrows(UnsupportedOperationException.class, () -> map.keySet().add(1));
        view.put(10, "ten");
        assertEquals(1, map.size());
        assertEquals(null, view.get(25));
    }

    /** A storable comparator whose order conflict resolution must keep. */
    enum ByLastLetter implements java.util.Comparator<String> {
        ORDER;

        @Override
        public int compare(String a, String b) {
            int c = Character.compare(a.charAt(a.length() - 1), b.charAt(b.length() - 1));
            return c != 0 ? c : a.compareTo(b);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMergedBucketKeepsTheTreesOrder() {
        Database db = Database.open(new MemoryStorage());
        TransactionManager tmA = new TransactionManager(false);
        TransactionManager tmB = new TransactionManager(false);
        Connection a = db.open(tmA);
        PersistentTreeSet<String> set = new PersistentTreeSet<>(ByLastLetter.ORDER);
        set.addAll(List.of("xa", "xc", "xe"));
        a.root().put("s", set);
        tmA.commit();
        Connection b = db.open(tmB);
        ((PersistentTreeSet<String>) b.root().get("s")).add("xd");
        set.add("xb");
        tmA.commit();
        tmB.commit();
        TransactionManager check = new TransactionManager(false);
        PersistentTreeSet<String> merged = (PersistentTreeSet<String>) db.open(check).root().get("s");
        assertEquals(List.of("xa", "xb", "xc", "xd", "xe"), List.copyOf(merged));
        assertEquals("xc", merged.lower("xd"));
        assertEquals(5, merged.size());
    }
}
