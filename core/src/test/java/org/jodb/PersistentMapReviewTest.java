package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Review of the chunked PersistentMap: paths the map's own tests do not walk. */
class PersistentMapReviewTest {
    private static final int LARGE = 3000;

    private final MemoryStorage storage = new MemoryStorage();
    private final Database db = Database.open(storage);
    private final TransactionManager tm1 = new TransactionManager(false);
    private final TransactionManager tm2 = new TransactionManager(false);
    private final Connection c1 = db.open(tm1);
    private final Connection c2 = db.open(tm2);

    @AfterEach
    void close() {
        tm1.abort();
        tm2.abort();
        db.close();
    }

    private static LinkedHashMap<String, Integer> entries(int from, int to) {
        LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            m.put("k" + i, i);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private PersistentMap<String, Integer> committedLarge() {
        c1.root().put("m", new PersistentMap<>(entries(0, LARGE)));
        tm1.commit();
        return (PersistentMap<String, Integer>) c1.root().get("m");
    }

    /**
     * A keySet iterator reads chunks without touching them; a cacheMinimize (or a savepoint's cache gc)
     * between next() and remove() ghosts the chunk, and remove() then goes to the entries the chunk had
     * before it was ghosted: the key must be gone (or the iterator must fail), never half removed.
     */
    @Test
    void keySetIteratorRemoveAfterTheChunkWasGhosted() {
        PersistentMap<String, Integer> m = committedLarge();
        Iterator<String> it = m.keySet().iterator();
        assertEquals("k0", it.next());
        c1.cacheMinimize();
        try {
            it.remove();
        } catch (ConcurrentModificationException acceptable) {
            assertEquals(LARGE, m.size());
            assertTrue(m.containsKey("k0"));
            return;
        }
        assertFalse(m.containsKey("k0"));
        assertEquals(LARGE - 1, m.size());
        assertEquals(LARGE - 1, new ArrayList<>(m.keySet()).size(), "iteration agrees with size");
        assertFalse(new ArrayList<>(m.keySet()).contains("k0"));
        tm1.commit();
        tm2.begin();
        Map<?, ?> seen = (Map<?, ?>) c2.root().get("m");
        assertFalse(seen.containsKey("k0"), "the removal was committed");
        assertEquals(LARGE - 1, seen.size());
    }

    /** The same through a savepoint taken while iterating (the batch-job habit), with a small cache. */
    @Test
    void keySetIteratorRemoveAcrossASavepointWithASmallCache() {
        PersistentMap<String, Integer> m = committedLarge();
        c1.setCacheSize(2);
        tm1.commit();
        c1.cacheMinimize();
        LinkedHashMap<String, Integer> model = entries(0, LARGE);
        Iterator<String> it = m.keySet().iterator();
        int i = 0;
        while (it.hasNext()) {
            String k = it.next();
            if (i++ % 100 == 0) {
                tm1.savepoint();
            }
            if (Integer.parseInt(k.substring(1)) % 2 == 0) {
                it.remove();
                model.remove(k);
            }
        }
        assertEquals(model.size(), m.size());
        assertEquals(model, new HashMap<>(m));
        tm1.commit();
        tm2.begin();
        assertEquals(model, c2.root().get("m"));
    }

    @Test
    void equalsAndHashCodeAgreeWithPlainMapsInBothDirections() {
        PersistentMap<String, Integer> m = committedLarge();
        HashMap<String, Integer> plain = new HashMap<>(entries(0, LARGE));
        assertEquals(plain, m);
        assertEquals(m, plain);
        assertEquals(plain.hashCode(), m.hashCode());
        assertEquals(plain.keySet(), m.keySet());
        assertEquals(m.keySet(), plain.keySet());
        assertEquals(plain.entrySet(), m.entrySet());
        plain.put("k1", -1);
        assertFalse(m.equals(plain));
        assertFalse(plain.equals(m));
        c1.cacheMinimize();
        assertEquals(entries(0, LARGE), m, "a ghost map compares by content");
    }

    /** A key that is a persistent object: stored as a reference, found again after a reload. */
    @Test
    void persistentKeysOfALargeMapSurviveAReload() {
        PersistentMap<Object, Integer> m = new PersistentMap<>();
        PersistentList<String> key = new PersistentList<>();
        key.add("me");
        m.putAll(entries(0, LARGE));
        m.put(key, 42);
        c1.root().put("m", m);
        c1.root().put("key", key);
        tm1.commit();
        tm2.begin();
        Map<?, ?> seen = (Map<?, ?>) c2.root().get("m");
        Object key2 = c2.root().get("key");
        assertEquals(42, seen.get(key2));
        assertEquals(LARGE + 1, seen.size());
    }

    /** Removing through the iterator down to a handful keeps the map consistent and committable. */
    @Test
    void iteratorRemovalBelowTheSingleRecordLimitStillCommits() {
        PersistentMap<String, Integer> m = committedLarge();
        Iterator<Map.Entry<String, Integer>> it = m.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Integer> e = it.next();
            if (e.getValue() >= 10) {
                it.remove();
            }
        }
        assertEquals(entries(0, 10), m);
        tm1.commit();
        m.put("x", 1);
        m.remove("k0");
        tm1.commit();
        tm2.begin();
        LinkedHashMap<String, Integer> expected = entries(1, 10);
        expected.put("x", 1);
        assertEquals(new ArrayList<>(expected.entrySet()),
                new ArrayList<>(((Map<?, ?>) c2.root().get("m")).entrySet()));
    }

    /** A map changing form under an open single-record iterator: the iterator fails, it does not lie. */
    @Test
    void singleRecordIteratorFailsAfterTheMapGrewIntoChunks() {
        PersistentMap<String, Integer> m = new PersistentMap<>(entries(0, 1000));
        c1.root().put("m", m);
        tm1.commit();
        Iterator<String> it = m.keySet().iterator();
        it.next();
        m.putAll(entries(1000, 1100));
        assertThrows(ConcurrentModificationException.class, it::remove);
    }

    /**
     * A resolved conflict: after c2's commit was merged with c1's, c2 keeps working in the same
     * transaction manager without a begin; its next transaction sees the merged map.
     */
    @Test
    @SuppressWarnings("unchecked")
    void afterAMergedCommitTheNextTransactionSeesTheMergedMap() {
        committedLarge();
        tm2.begin();
        PersistentMap<String, Integer> m2 = (PersistentMap<String, Integer>) c2.root().get("m");
        m2.get("k0");
        Map<String, Integer> m1 = (Map<String, Integer>) c1.root().get("m");
        m1.put("one", 1);
        tm1.commit();
        m2.put("two", 2);
        tm2.commit();
        // no begin: the manager is not explicit, the next call starts the next transaction
        assertEquals(1, m2.get("one"));
        assertEquals(LARGE + 2, m2.size());
        m2.put("three", 3);
        tm2.commit();
        tm1.begin();
        assertEquals(LARGE + 3, m1.size());
        assertEquals(3, m1.get("three"));
        assertEquals(LARGE + 3, new ArrayList<>(m1.keySet()).size());
    }

    /**
     * One transaction removes keys until a chunk merges with its small neighbour (the neighbour is dropped
     * from the chunk list, its record is not rewritten); another, concurrently, replaces a value held in
     * that neighbour, which rewrites only the neighbour's record. Both commit without conflict, and the
     * replacement lands in a chunk the map no longer lists: a lost update.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aReplacementInAChunkDroppedByAConcurrentMergeIsNotLost() {
        int n = 5 * 512 + 100; // five full chunks and a tail of 100
        c1.root().put("m", new PersistentMap<>(entries(0, n)));
        tm1.commit();
        tm2.begin();
        Map<String, Integer> m2 = (Map<String, Integer>) c2.root().get("m");
        assertEquals(n - 1, m2.get("k" + (n - 1)));
        PersistentMap<String, Integer> m1 = (PersistentMap<String, Integer>) c1.root().get("m");
        int chunks = m1.$jodbLayout().chunkCount();
        for (int i = 4 * 512; m1.$jodbLayout().chunkCount() == chunks; i++) {
            m1.remove("k" + i); // chunk 4 shrinks until it absorbs the tail
        }
        tm1.commit();
        m2.put("k" + (n - 1), -1); // a replacement in the tail chunk only
        try {
            tm2.commit();
        } catch (ConflictException acceptable) {
            return;
        }
        tm1.begin();
        assertEquals(-1, m1.get("k" + (n - 1)), "c2's committed replacement is in the map");
    }

    /** The same when the concurrent transaction shrinks the map back into one record. */
    @Test
    @SuppressWarnings("unchecked")
    void aReplacementInAChunkOfAMapThatWentBackToOneRecordIsNotLost() {
        c1.root().put("m", new PersistentMap<>(entries(0, LARGE)));
        tm1.commit();
        tm2.begin();
        Map<String, Integer> m2 = (Map<String, Integer>) c2.root().get("m");
        assertEquals(LARGE - 1, m2.get("k" + (LARGE - 1)));
        PersistentMap<String, Integer> m1 = (PersistentMap<String, Integer>) c1.root().get("m");
        for (int i = 0; m1.$jodbLayout() != null; i++) {
            m1.remove("k" + i);
        }
        tm1.commit();
        m2.put("k" + (LARGE - 1), -1);
        try {
            tm2.commit();
        } catch (ConflictException acceptable) {
            return;
        }
        tm1.begin();
        assertEquals(-1, m1.get("k" + (LARGE - 1)), "c2's committed replacement is in the map");
    }

    /** The other order: the replacement commits first, the merging transaction then copies the stale tail. */
    @Test
    @SuppressWarnings("unchecked")
    void aMergeOfChunksDoesNotUndoAReplacementCommittedMeanwhile() {
        int n = 5 * 512 + 100;
        c1.root().put("m", new PersistentMap<>(entries(0, n)));
        tm1.commit();
        tm2.begin();
        Map<String, Integer> m2 = (Map<String, Integer>) c2.root().get("m");
        PersistentMap<String, Integer> m1 = (PersistentMap<String, Integer>) c1.root().get("m");
        assertEquals(n - 1, m1.get("k" + (n - 1)));
        m2.put("k" + (n - 1), -1);
        tm2.commit();
        int chunks = m1.$jodbLayout().chunkCount();
        for (int i = 4 * 512; m1.$jodbLayout().chunkCount() == chunks; i++) {
            m1.remove("k" + i);
        }
        try {
            tm1.commit();
        } catch (ConflictException acceptable) {
            return;
        }
        tm2.begin();
        assertEquals(-1, m2.get("k" + (n - 1)), "c2's committed replacement survives c1's merge of chunks");
    }
}
