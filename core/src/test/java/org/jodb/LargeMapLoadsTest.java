package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a key lookup in a large {@code PersistentMap} loads, counted by {@link Connection#transferCounts()}:
 * through the persistent tree from the key's stable hash to its chunk, never every chunk.
 */
class LargeMapLoadsTest {
    private static final int ENTRIES = 100_000;
    private static final MemoryStorage STORAGE = new MemoryStorage();

    @BeforeAll
    static void fill() {
        Database db = Database.open(STORAGE);
        TransactionManager tm = new TransactionManager(false);
        Connection conn = db.open(tm);
        PersistentMap<String, Long> map = new PersistentMap<>();
        conn.root().put("map", map);
        for (int i = 0; i < ENTRIES; i++) {
            map.put("key-" + i, (long) i);
            if (i % 10_000 == 9_999) {
                tm.commit();
            }
        }
        tm.commit();
    }

    /** A connection of a new database on the stored data: nothing cached. */
    private static Connection cold(TransactionManager tm) {
        return Database.open(STORAGE).open(tm);
    }

    @SuppressWarnings("unchecked")
    private static PersistentMap<String, Long> map(Connection conn) {
        return (PersistentMap<String, Long>) conn.root().get("map"); // arrives as a ghost
    }

    /**
     * A cold {@code get} loads exactly: the map's own record, the hash tree's own record, one node per
     * level of the tree (branches and the bucket: its depth), and the chunk holding the key; that is
     * depth + 3 records, 6 for this map (a tree of depth 3).
     */
    @Test
    void aColdGetLoadsTheMapThePathInTheHashTreeAndOneChunk() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        PersistentMap<String, Long> map = map(conn);
        conn.resetTransferCounts();
        assertEquals(76_543L, map.get("key-76543"));
        long loads = conn.transferCounts().loads();
        PersistentTree tree = (PersistentTree) map.$jodbLayout().hashTree();
        assertNotNull(tree, "a map of strings has its hash tree");
        int depth = tree.depth();
        assertTrue(depth >= 3, "100,000 slots: branches on two levels, depth " + depth);
        assertEquals(depth + 3, loads, "the map, the tree, " + depth + " nodes, one chunk");
        assertTrue(loads < map.$jodbLayout().chunkCount(), "far fewer than the " + map.$jodbLayout().chunkCount()
                + " chunks");
        tm.abort();
    }

    /**
     * Replacing the value of a key in a cold map loads what the cold {@code get} of it loads: the key's chunk,
     * not the last chunk too (where a new key would have gone), and the map's record is not rewritten.
     */
    @Test
    void aColdReplacementLoadsWhatAColdGetLoads() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        PersistentMap<String, Long> map = map(conn);
        conn.resetTransferCounts();
        assertEquals(12_345L, map.put("key-12345", -1L));
        long loads = conn.transferCounts().loads();
        int depth = ((PersistentTree) map.$jodbLayout().hashTree()).depth();
        assertEquals(depth + 3, loads, "the map, the tree, " + depth + " nodes, the key's chunk");
        assertEquals(ENTRIES, map.size());
        tm.abort();
    }

    @Test
    void aColdMissLoadsNoChunk() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        PersistentMap<String, Long> map = map(conn);
        conn.resetTransferCounts();
        assertNull(map.get("no such key"));
        assertEquals(false, map.containsKey("no such key"));
        long loads = conn.transferCounts().loads();
        int depth = ((PersistentTree) map.$jodbLayout().hashTree()).depth();
        assertTrue(loads <= depth + 3, loads + " records for a miss");
        conn.resetTransferCounts();
        assertEquals(ENTRIES, map.size());
        assertEquals(0, conn.transferCounts().loads(), "the size is in the map's record");
        tm.abort();
    }
}
