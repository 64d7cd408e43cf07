package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import org.jodb.PersistentTree.Seek;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tree's iteration prefetches: when it reaches a bucket, the bucket's values that are ghosts of persistent
 * objects are loaded in one storage call, so walking N buckets costs about N batch calls, not one call per
 * value. Iterating keys loads no values, and a range prefetches only the values it hands out.
 */
class PersistentTreePrefetchTest {
    private static final int ENTRIES = 600;

    private CountingStorage storage;
    /** How many buckets the tree has. */
    private int buckets;

    /** A tree of small nodes (16 entries a bucket, 8 children a branch) mapping 0..599 to accounts. */
    @BeforeEach
    void fill() {
        storage = new CountingStorage();
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        PersistentTreeMap<Integer, Account> tree = new PersistentTreeMap<>(null, 16, 8);
        conn.root().put("tree", tree);
        for (int i = 0; i < ENTRIES; i++) {
            tree.put(i, conn.create(Account.class, "a" + i, (long) i));
        }
        tm.commit();
        buckets = 0;
        for (TreeBucket b = tree.seek(Seek.FIRST, null).bucket(); b != null; b = b.next()) {
            b.read();
            buckets++;
        }
        assertTrue(buckets > 30 && tree.depth() >= 3, buckets + " buckets, depth " + tree.depth());
        tm.abort();
    }

    /** The tree in a fresh database on the same storage: nothing cached, counts from zero. */
    @SuppressWarnings("unchecked")
    private PersistentTreeMap<Integer, Account> coldTree(Connection[] conn) {
        conn[0] = Database.open(storage).open(new TransactionManager(false));
        PersistentTreeMap<Integer, Account> tree = (PersistentTreeMap<Integer, Account>) conn[0].root().get("tree");
        storage.resetCounts();
        conn[0].resetTransferCounts();
        return tree;
    }

    @Test
    void iteratingTheValuesMakesOneBatchCallPerBucketNotOneCallPerValue() {
        Connection[] conn = new Connection[1];
        PersistentTreeMap<Integer, Account> tree = coldTree(conn);
        long sum = 0;
        for (Account a : tree.values()) {
            sum += a.balance();
        }
        assertEquals((long) ENTRIES * (ENTRIES - 1) / 2, sum);
        assertEquals(buckets, storage.batchCalls, "one batch per bucket");
        assertEquals(ENTRIES, storage.batchOids, "every value came in a batch");
        assertTrue(storage.singleLoads <= buckets + tree.depth() + 2,
                "one by one: the tree's own record, its branches and buckets only: " + storage.singleLoads);
        assertEquals(storage.singleLoads + storage.batchOids, conn[0].transferCounts().loads(),
                "transfer counts count each record once");
        conn[0].transactionManager().commit();
        assertEquals(0, conn[0].transferCounts().stores(), "prefetched values are not changed");
    }

    @Test
    void theEntriesOfARangePrefetchOnlyTheValuesTheyHandOut() {
        Connection[] conn = new Connection[1];
        PersistentTreeMap<Integer, Account> tree = coldTree(conn);
        NavigableMap<Integer, Account> range = tree.subMap(100, true, 140, false);
        int n = 0;
        for (Map.Entry<Integer, Account> e : range.entrySet()) {
            assertEquals((long) e.getKey(), e.getValue().balance());
            n++;
        }
        assertEquals(40, n);
        assertEquals(40, storage.batchOids, "values outside the range are not loaded");
        assertTrue(storage.batchCalls <= 40 / 8 + 2, "one call per bucket of the range: " + storage.batchCalls);

        storage.resetCounts();
        Iterator<Account> down = tree.descendingMap().headMap(20, true).values().iterator();
        assertEquals(ENTRIES - 1, down.next().balance());
        assertEquals(ENTRIES - 2, down.next().balance());
        assertTrue(storage.batchOids <= 16, "descending: the values of the last bucket only: " + storage.batchOids);
        conn[0].transactionManager().abort();
    }

    @Test
    void iteratingTheKeysLoadsNoValues() {
        Connection[] conn = new Connection[1];
        PersistentTreeMap<Integer, Account> tree = coldTree(conn);
        int n = 0;
        for (Integer ignored : tree.keySet()) {
            n++;
        }
        assertEquals(ENTRIES, n);
        assertEquals(0, storage.batchCalls);
        assertTrue(storage.singleLoads <= buckets + tree.depth() + 2, "buckets and branches: " + storage.singleLoads);
        conn[0].transactionManager().abort();
    }

    @Test
    void aFailingPrefetchLeavesTheIterationToLoadValuesOneByOne() {
        Connection[] conn = new Connection[1];
        PersistentTreeMap<Integer, Account> tree = coldTree(conn);
        storage.failBatches = true; // single loads still work
        long sum = 0;
        for (Account a : tree.headMap(32).values()) {
            sum += a.balance();
        }
        assertEquals(31L * 32 / 2, sum);
        assertTrue(storage.batchCalls >= 2, "the prefetch was tried for each bucket: " + storage.batchCalls);
        assertTrue(storage.singleLoads >= 32, "and each value then loaded on its own: " + storage.singleLoads);
        conn[0].transactionManager().abort();
    }
}
