package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * {@code PersistentTreeMap.putIfAbsent}, one walk down the tree, keeps {@code Map.putIfAbsent}'s contract: an
 * absent key or one mapped to null takes the value, a present one keeps its own and hands it back, and a value
 * handed back that is then changed in place is committed, as after {@code get}.
 */
class TreePutIfAbsentTest {

    @Test
    void answersAsTreeMapAcrossSplitsAndKeepsNullAsAbsent() {
        Database db = Database.open(new MemoryStorage());
        TransactionManager tm = new TransactionManager(false);
        Connection conn = db.open(tm);
        PersistentTreeMap<Integer, String> tree = new PersistentTreeMap<>(null, 4, 4);
        TreeMap<Integer, String> model = new TreeMap<>();
        conn.root().put("t", tree);
        for (int i = 0; i < 500; i++) {
            int key = (i * 37) % 211; // every key comes back: present, or mapped to null
            String value = i % 5 == 0 ? null : "v" + i;
            assertEquals(model.putIfAbsent(key, value), tree.putIfAbsent(key, value), "key " + key);
            if (i == 250) {
                tm.commit();
            }
        }
        assertEquals(model, new TreeMap<>(tree));
        tm.commit();
        assertEquals(model, new TreeMap<>(tree));
        tm.abort();
        db.close();
    }

    @Test
    void aValueHandedBackAndChangedInPlaceIsCommitted() {
        MemoryStorage storage = new MemoryStorage();
        Database db = Database.open(storage);
        TransactionManager tm = new TransactionManager(false);
        Connection conn = db.open(tm);
        PersistentTreeMap<String, List<String>> tree = new PersistentTreeMap<>();
        conn.root().put("t", tree);
        tree.put("a", new ArrayList<>(List.of("x")));
        tm.commit();
        tree.putIfAbsent("a", new ArrayList<>()).add("y"); // nothing else changes the bucket
        tm.commit();
        TransactionManager other = new TransactionManager(false);
        @SuppressWarnings("unchecked")
        PersistentTreeMap<String, List<String>> seen =
                (PersistentTreeMap<String, List<String>>) db.open(other).root().get("t");
        assertEquals(List.of("x", "y"), seen.get("a"));
        other.abort();
        assertNull(tree.putIfAbsent("b", new ArrayList<>(List.of("z"))));
        tm.commit();
        other.abort(); // a new transaction: other sees the commit
        assertEquals(List.of("z"), seen.get("b"));
        other.abort();
        tm.abort();
        db.close();
    }
}
