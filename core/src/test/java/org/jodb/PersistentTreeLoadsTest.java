package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a tree operation loads, counted by {@link Connection#transferCounts()}: a cold lookup loads one
 * record per level and the tree's own, {@code size()} the counter only, a range scan only the buckets it
 * covers; and what a commit stores.
 */
class PersistentTreeLoadsTest {
    private static final int ENTRIES = 60_000;
    private static final MemoryStorage STORAGE = new MemoryStorage();

    @BeforeAll
    static void fill() {
        Database db = Database.open(STORAGE);
        TransactionManager tm = new TransactionManager(false);
        Connection conn = db.open(tm);
        PersistentTreeMap<Integer, String> tree = new PersistentTreeMap<>();
        conn.root().put("tree", tree);
        for (int i = 0; i < ENTRIES; i++) {
            tree.put(i * 2, "value " + i); // even keys: an odd one is absent
        }
        tm.commit();
    }

    /** A connection of a new database on the stored data: nothing cached. */
    private static Connection cold(TransactionManager tm) {
        return Database.open(STORAGE).open(tm);
    }

    @SuppressWarnings("unchecked")
    private static PersistentTreeMap<Integer, String> tree(Connection conn) {
        return (PersistentTreeMap<Integer, String>) conn.root().get("tree"); // the tree arrives as a ghost
    }

    @Test
    void aColdGetLoadsOneRecordPerLevelAndTheTreesOwn() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        PersistentTreeMap<Integer, String> tree = tree(conn);
        conn.resetTransferCounts();
        assertEquals("value 31234", tree.get(62_468));
        long loads = conn.transferCounts().loads();
        int depth = tree.depth();
        assertTrue(depth >= 3, "a tree of " + ENTRIES + " entries has branches on two levels: depth " + depth);
        assertEquals(depth + 1, loads);
        conn.resetTransferCounts();
        assertEquals(null, tree.get(62_469));
        assertEquals("value 100", tree.get(200));
        assertTrue(conn.transferCounts().loads() <= 2 * (depth - 1), "two more paths, their root shared");
        tm.abort();
    }

    @Test
    void sizeLoadsTheCounterOnly() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        PersistentTreeMap<Integer, String> tree = tree(conn);
        assertEquals(0, tree.firstKey()); // the tree's own record and one path are loaded now
        conn.resetTransferCounts();
        assertEquals(ENTRIES, tree.size());
        assertEquals(new TransferCounts(1, 0), conn.transferCounts());
        assertEquals(ENTRIES, tree.size());
        assertEquals(new TransferCounts(1, 0), conn.resetTransferCounts());
        assertEquals(new TransferCounts(0, 0), conn.transferCounts());
        tm.abort();
    }

    @Test
    void aRangeScanLoadsTheBucketsItCovers() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        PersistentTreeMap<Integer, String> tree = tree(conn);
        conn.resetTransferCounts();
        int seen = 0;
        for (Map.Entry<Integer, String> e : tree.subMap(40_000, 41_000).entrySet()) {
            assertEquals(40_000 + 2 * seen, e.getKey());
            seen++;
        }
        assertEquals(500, seen);
        long loads = conn.transferCounts().loads();
        // a path down to the first key, then one load per bucket: buckets are at least half full
        int buckets = 500 / (PersistentTree.BUCKET_CAPACITY / 2) + 2;
        assertTrue(loads <= tree.depth() + buckets, "loaded " + loads + " records for 500 keys");
        conn.resetTransferCounts();
        int descending = tree.descendingMap().subMap(41_000, false, 40_000, true).size();
        assertEquals(500, descending);
        assertTrue(conn.transferCounts().loads() <= buckets, "the same buckets, cached: "
                + conn.transferCounts().loads());
        tm.abort();
    }

    @Test
    void aCommitStoresTheRecordsItChanged() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        PersistentTreeMap<Integer, String> tree = tree(conn);
        tree.get(1_001); // the path loaded
        tree.size(); // and the size counter
        conn.resetTransferCounts();
        tree.put(1_001, "new");
        tm.commit();
        assertEquals(new TransferCounts(0, 2), conn.transferCounts(), "the key's bucket and the size counter");
        conn.resetTransferCounts();
        tree.put(1_001, "changed");
        tm.commit();
        assertEquals(new TransferCounts(0, 1), conn.transferCounts(), "a replacement: the bucket only");
        conn.resetTransferCounts();
        tree.remove(1_001);
        tm.commit();
        assertEquals(new TransferCounts(0, 2), conn.transferCounts(), "a removal: the bucket and the counter");
    }
}
