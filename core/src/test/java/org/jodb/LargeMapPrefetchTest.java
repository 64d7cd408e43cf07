package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a storage whose loads are remote, a large {@link PersistentMap}'s iteration prefetches: when it reaches a
 * chunk, the chunk's values that are ghosts of persistent objects are loaded in one storage call, so walking the
 * map costs a call per chunk, not one per value. Iterating the keys loads no values; on a storage whose loads
 * are local, the values load one by one.
 */
class LargeMapPrefetchTest {
    /** Well above the size at which a map keeps chunks, so that it has several. */
    private static final int ENTRIES = 5_000;

    private CountingStorage storage;

    @BeforeEach
    void fill() {
        storage = new CountingStorage();
        storage.remote = true;
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        PersistentMap<String, Account> map = new PersistentMap<>();
        conn.root().put("map", map);
        for (int i = 0; i < ENTRIES; i++) {
            map.put("k" + i, conn.create(Account.class, "a" + i, (long) i));
        }
        tm.commit();
    }

    /** The map in a fresh database on the same storage: nothing cached, counts from zero. */
    @SuppressWarnings("unchecked")
    private PersistentMap<String, Account> coldMap(Connection[] conn) {
        conn[0] = Database.open(storage).open(new TransactionManager(false));
        PersistentMap<String, Account> map = (PersistentMap<String, Account>) conn[0].root().get("map");
        storage.resetCounts();
        conn[0].resetTransferCounts();
        return map;
    }

    @Test
    void iteratingTheValuesLoadsThemInABatchPerChunk() {
        Connection[] conn = new Connection[1];
        PersistentMap<String, Account> map = coldMap(conn);
        long sum = 0;
        for (Account a : map.values()) {
            sum += a.balance();
        }
        assertEquals((long) ENTRIES * (ENTRIES - 1) / 2, sum);
        assertEquals(ENTRIES, storage.batchOids, "every value came in a batch");
        assertTrue(storage.batchCalls >= 2 && storage.batchCalls <= ENTRIES / 100,
                "a batch per chunk, not per value: " + storage.batchCalls);
        assertTrue(storage.singleLoads < ENTRIES / 10, "one by one: the map's own records only: "
                + storage.singleLoads);
        conn[0].transactionManager().commit();
        assertEquals(0, conn[0].transferCounts().stores(), "prefetched values are not changed");
    }

    @Test
    void theEntriesPrefetchTheirValuesToo() {
        Connection[] conn = new Connection[1];
        PersistentMap<String, Account> map = coldMap(conn);
        long sum = 0;
        for (Map.Entry<String, Account> e : map.entrySet()) {
            sum += e.getValue().balance();
        }
        assertEquals((long) ENTRIES * (ENTRIES - 1) / 2, sum);
        assertEquals(ENTRIES, storage.batchOids, "every value came in a batch");
    }

    @Test
    void iteratingTheKeysLoadsNoValue() {
        Connection[] conn = new Connection[1];
        PersistentMap<String, Account> map = coldMap(conn);
        int keys = 0;
        for (String k : map.keySet()) {
            keys += k.startsWith("k") ? 1 : 0;
        }
        assertEquals(ENTRIES, keys);
        assertEquals(0, storage.batchCalls, "no value prefetched");
        assertTrue(conn[0].transferCounts().loads() < ENTRIES / 10,
                "the map's own records only: " + conn[0].transferCounts().loads());
    }

    @Test
    void onAStorageWhoseLoadsAreLocalTheValuesLoadOneByOne() {
        Connection[] conn = new Connection[1];
        PersistentMap<String, Account> map = coldMap(conn);
        storage.remote = false;
        long sum = 0;
        for (Account a : map.values()) {
            sum += a.balance();
        }
        assertEquals((long) ENTRIES * (ENTRIES - 1) / 2, sum);
        assertEquals(0, storage.batchCalls, "no batch");
        assertTrue(storage.singleLoads >= ENTRIES, "each value on its own: " + storage.singleLoads);
    }

    @Test
    void forEachPrefetchesTheValuesOfEachChunk() {
        Connection[] conn = new Connection[1];
        PersistentMap<String, Account> map = coldMap(conn);
        long[] sum = {0};
        map.forEach((k, a) -> sum[0] += a.balance());
        assertEquals((long) ENTRIES * (ENTRIES - 1) / 2, sum[0]);
        assertEquals(ENTRIES, storage.batchOids, "every value came in a batch");
        assertTrue(storage.batchCalls >= 2 && storage.batchCalls <= ENTRIES / 100,
                "a batch per chunk, not per value: " + storage.batchCalls);
    }
}
