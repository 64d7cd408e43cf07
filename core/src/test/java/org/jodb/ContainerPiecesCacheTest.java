package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * The cache keeps the pieces of a large {@code PersistentMap} (its chunks, the buckets and branches of its
 * hash index) loaded in preference to the objects they lead to, within half of the cache size, and the
 * number of loaded objects stays within the cache size. Counted by {@link Connection#transferCounts()}.
 */
class ContainerPiecesCacheTest {
    private static final int KEYS = 5_000;
    private static final int OTHERS = 3_000;

    /**
     * A large map of {@value #KEYS} keys (about 10 chunks and a hash index of about 100 buckets) and a list of
     * {@value #OTHERS} small maps, each a record of its own.
     */
    private static MemoryStorage fill() {
        MemoryStorage storage = new MemoryStorage();
        Database db = Database.open(storage);
        TransactionManager tm = new TransactionManager(false);
        Connection conn = db.open(tm);
        PersistentMap<String, Long> map = new PersistentMap<>();
        conn.root().put("map", map);
        for (int i = 0; i < KEYS; i++) {
            map.put("key-" + i, (long) i);
        }
        PersistentList<PersistentMap<String, Long>> others = new PersistentList<>();
        conn.root().put("others", others);
        for (int i = 0; i < OTHERS; i++) {
            PersistentMap<String, Long> other = new PersistentMap<>();
            other.put("n", (long) i);
            others.add(other);
        }
        tm.commit();
        conn.close(); // the database stays open: closing it would close the storage the tests open again
        return storage;
    }

    /** Looks up every key of the map; returns the records that loaded. */
    @SuppressWarnings("unchecked")
    private static long lookUpEveryKey(Connection conn) {
        conn.resetTransferCounts();
        PersistentMap<String, Long> map = (PersistentMap<String, Long>) conn.root().get("map");
        for (int i = 0; i < KEYS; i++) {
            assertTrue(map.containsKey("key-" + i));
        }
        return conn.transferCounts().loads();
    }

    /** Loads every small map of the list, committing every 100 (the cache shrinks at each boundary). */
    @SuppressWarnings("unchecked")
    private static void loadTheOthers(Connection conn, TransactionManager tm) {
        List<PersistentMap<String, Long>> others = (List<PersistentMap<String, Long>>) conn.root().get("others");
        for (int i = 0; i < OTHERS; i++) {
            assertEquals((long) i, others.get(i).get("n"));
            if (i % 100 == 99) {
                tm.commit();
            }
        }
        tm.commit();
    }

    @Test
    void loadingMoreObjectsThanTheCacheHoldsLeavesTheMapsPiecesLoaded() {
        MemoryStorage storage = fill();
        try (Database db = Database.open(storage, new Database.Options().cacheSize(1_000))) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            long first = lookUpEveryKey(conn);
            tm.commit();
            assertTrue(first > 50, "the first pass loads the chunks and the hash index: " + first);

            loadTheOthers(conn, tm);
            assertTrue(conn.cacheLoadedCount() <= 1_000, conn.cacheLoadedCount() + " loaded, cache size 1,000");

            assertEquals(3, lookUpEveryKey(conn), "only the root, the map's record and its hash tree's own record, which"
                    + " nothing used meanwhile: none of its chunks or nodes");
            tm.commit();
        }
    }

    @Test
    void piecesBeyondHalfTheCacheSizeAreGhostedAndTheCacheStaysWithinItsSize() {
        MemoryStorage storage = fill();
        try (Database db = Database.open(storage, new Database.Options().cacheSize(60))) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            lookUpEveryKey(conn);
            tm.commit();
            assertTrue(conn.cacheLoadedCount() <= 60, conn.cacheLoadedCount() + " loaded, cache size 60");

            loadTheOthers(conn, tm);
            assertTrue(conn.cacheLoadedCount() <= 60, conn.cacheLoadedCount() + " loaded, cache size 60");
            assertTrue(lookUpEveryKey(conn) > 50, "the pieces beyond a share of 30 were ghosted and load again");
            tm.commit();
        }
    }
}
