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
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * A PersistentMap large enough to be kept in chunks: iterators across cache gc and savepoints, equality with
 * plain maps, persistent keys, changes of form, and concurrent transactions that merge, drop or shrink chunks.
 */
class LargePersistentMapTest extends TwoConnections {
    private static final int LARGE = 3000;

    @SuppressWarnings("unchecked")
    private PersistentMap<String, Integer> committedLarge() {
        c1.root().put("m", new PersistentMap<>(PersistentMapTest.entries(0, LARGE)));
        tm1.commit();
        return (PersistentMap<String, Integer>) c1.root().get("m");
    }

    /**
     * A lookup asks the chunks of a key's hash in turn and reads the value in the same probe of the chunk that
     * holds it: a null value is told from an absent key, and keys sharing a hash ("Aa" and "BB" have one) in
     * different chunks are each found, in a committed map and in one being changed.
     */
    @Test
    void nullValuesAndKeysSharingAHashAcrossChunks() {
        PersistentMap<String, Integer> m = committedLarge();
        m.put("Aa", null); // the last chunk
        for (int i = 0; i < 600; i++) {
            m.put("fill" + i, i); // the next keys go to a new chunk
        }
        m.put("BB", 2);
        assertTrue(m.$jodbLayout().hashTree() != null, "the map finds keys through its hash tree");
        for (int pass = 0; pass < 2; pass++) {
            assertEquals(null, m.get("Aa"));
            assertTrue(m.containsKey("Aa"));
            assertEquals(null, m.getOrDefault("Aa", -1), "a null value, not the default");
            assertEquals(2, m.get("BB"));
            assertEquals(null, m.get("C#")); // the same hash again, absent
            assertFalse(m.containsKey("C#"));
            assertEquals(-1, m.getOrDefault("C#", -1));
            assertEquals(7, m.get("k7"));
            tm1.commit(); // the second pass reads the committed map
        }
    }

    /**
     * A keySet iterator reads chunks without touching them; a cacheMinimize (or a savepoint's cache gc)
     * between next() and remove() ghosts the chunk. remove() then still removes the key it returned, wholly:
     * the map, its iteration and the committed state all lose it.
     */
    @Test
    void keySetIteratorRemoveAfterTheChunkWasGhosted() {
        PersistentMap<String, Integer> m = committedLarge();
        Iterator<String> it = m.keySet().iterator();
        assertEquals("k0", it.next());
        c1.cacheMinimize();
        it.remove();
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
        LinkedHashMap<String, Integer> model = PersistentMapTest.entries(0, LARGE);
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
        HashMap<String, Integer> plain = new HashMap<>(PersistentMapTest.entries(0, LARGE));
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
        assertEquals(PersistentMapTest.entries(0, LARGE), m, "a ghost map compares by content");
    }

    /** A key that is a persistent object: stored as a reference, found again after a reload. */
    @Test
    void persistentKeysOfALargeMapSurviveAReload() {
        PersistentMap<Object, Integer> m = new PersistentMap<>();
        PersistentList<String> key = new PersistentList<>();
        key.add("me");
        m.putAll(PersistentMapTest.entries(0, LARGE));
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
        assertEquals(PersistentMapTest.entries(0, 10), m);
        tm1.commit();
        m.put("x", 1);
        m.remove("k0");
        tm1.commit();
        tm2.begin();
        LinkedHashMap<String, Integer> expected = PersistentMapTest.entries(1, 10);
        expected.put("x", 1);
        assertEquals(new ArrayList<>(expected.entrySet()),
                new ArrayList<>(((Map<?, ?>) c2.root().get("m")).entrySet()));
    }

    /** A map changing form under an open single-record iterator: the iterator fails, it does not lie. */
    @Test
    void singleRecordIteratorFailsAfterTheMapGrewIntoChunks() {
        PersistentMap<String, Integer> m = new PersistentMap<>(PersistentMapTest.entries(0, 1000));
        c1.root().put("m", m);
        tm1.commit();
        Iterator<String> it = m.keySet().iterator();
        it.next();
        m.putAll(PersistentMapTest.entries(1000, 1100));
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
     * that neighbour, which would rewrite only the neighbour's record, a chunk the map no longer lists. The
     * later commit conflicts rather than lose the update; the retry sees the merged map.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aReplacementInAChunkDroppedByAConcurrentMergeConflicts() {
        int n = 5 * 512 + 100; // five full chunks and a tail of 100
        c1.root().put("m", new PersistentMap<>(PersistentMapTest.entries(0, n)));
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
        assertThrows(ConflictException.class, tm2::commit, "the replaced entry's chunk is no longer listed");
        tm2.abort();
        tm1.begin();
        tm2.begin();
        assertEquals(n - 1, m1.get("k" + (n - 1)), "the merge's state, not a half-merged one");
        assertEquals(m1, mapOf(c2));
    }

    /** The same when the concurrent transaction shrinks the map back into one record: a conflict too. */
    @Test
    @SuppressWarnings("unchecked")
    void aReplacementInAChunkOfAMapThatWentBackToOneRecordConflicts() {
        c1.root().put("m", new PersistentMap<>(PersistentMapTest.entries(0, LARGE)));
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
        assertThrows(ConflictException.class, tm2::commit, "the map is no longer kept in chunks");
        tm2.abort();
        tm1.begin();
        tm2.begin();
        assertEquals(LARGE - 1, m1.get("k" + (LARGE - 1)), "the shrink's state, not a half-merged one");
        assertEquals(m1, mapOf(c2));
    }

    /** The other order: the replacement commits first; the merge, which would copy the stale tail, conflicts. */
    @Test
    @SuppressWarnings("unchecked")
    void aMergeOfChunksConflictsWithAReplacementCommittedMeanwhile() {
        int n = 5 * 512 + 100;
        c1.root().put("m", new PersistentMap<>(PersistentMapTest.entries(0, n)));
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
        assertThrows(ConflictException.class, tm1::commit, "the merge would copy the tail as it was before");
        tm1.abort();
        tm1.begin();
        tm2.begin();
        assertEquals(-1, m1.get("k" + (n - 1)), "c2's committed replacement survives the refused merge");
        assertEquals(m1, mapOf(c2));
    }

    /** Five full chunks and a tail of 100: removing from chunk 4 makes it absorb the tail. */
    private static final int FIVE_AND_A_TAIL = 5 * 512 + 100;

    /** c1 removes keys of chunk 4 until it absorbs the tail chunk (which leaves the chunk list). */
    private static void mergeTheTail(PersistentMap<String, Integer> m1) {
        int chunks = m1.$jodbLayout().chunkCount();
        for (int i = 4 * 512; m1.$jodbLayout().chunkCount() == chunks; i++) {
            m1.remove("k" + i);
        }
    }

    @SuppressWarnings("unchecked")
    private PersistentMap<String, Integer> mapOf(Connection c) {
        return (PersistentMap<String, Integer>) c.root().get("m");
    }

    /**
     * Runs {@code first} in c1 and {@code second} in c2 on one committed map, both from the same snapshot,
     * commits c1's (or c2's, with {@code c2First}) first; returns whether the later commit conflicted.
     */
    private boolean race(int n, java.util.function.Consumer<PersistentMap<String, Integer>> one,
            java.util.function.Consumer<PersistentMap<String, Integer>> two, boolean twoFirst) {
        c1.root().put("m", new PersistentMap<>(PersistentMapTest.entries(0, n)));
        tm1.commit();
        tm2.begin();
        PersistentMap<String, Integer> m1 = mapOf(c1);
        PersistentMap<String, Integer> m2 = mapOf(c2);
        m1.get("k0"); // both loaded at the same snapshot, with their indexes
        m2.get("k0");
        one.accept(m1);
        two.accept(m2);
        TransactionManager first = twoFirst ? tm2 : tm1;
        TransactionManager later = twoFirst ? tm1 : tm2;
        first.commit();
        try {
            later.commit();
            return false;
        } catch (ConflictException expected) {
            later.abort();
            return true;
        }
    }

    @Test
    void clearConflictsWithAConcurrentReplacementInEitherOrder() {
        for (boolean replacementFirst : new boolean[] {false, true}) {
            assertTrue(race(LARGE, PersistentMap::clear, m -> m.put("k" + (LARGE - 1), -1), replacementFirst),
                    "replacement first: " + replacementFirst);
            tm1.begin();
            tm2.begin();
            assertEquals(replacementFirst ? LARGE : 0, mapOf(c1).size());
            assertEquals(mapOf(c1), mapOf(c2));
        }
    }

    @Test
    void aMergeConflictsWithAConcurrentInsertionIntoTheAbsorbedTailInEitherOrder() {
        for (boolean insertionFirst : new boolean[] {false, true}) {
            assertTrue(race(FIVE_AND_A_TAIL, LargePersistentMapTest::mergeTheTail, m -> m.put("new", 1),
                    insertionFirst), "insertion first: " + insertionFirst);
            tm1.begin();
            tm2.begin();
            assertEquals(insertionFirst, mapOf(c1).containsKey("new"));
            assertEquals(mapOf(c1), mapOf(c2));
            assertEquals(mapOf(c1).size(), new ArrayList<>(mapOf(c1).keySet()).size());
        }
    }

    @Test
    void aMergeConflictsWithAConcurrentRemovalFromTheAbsorbedTailInEitherOrder() {
        String last = "k" + (FIVE_AND_A_TAIL - 1);
        for (boolean removalFirst : new boolean[] {false, true}) {
            assertTrue(race(FIVE_AND_A_TAIL, LargePersistentMapTest::mergeTheTail, m -> m.remove(last),
                    removalFirst), "removal first: " + removalFirst);
            tm1.begin();
            tm2.begin();
            assertEquals(!removalFirst, mapOf(c1).containsKey(last));
            assertEquals(mapOf(c1), mapOf(c2));
        }
    }

    @Test
    void aReplacementInAChunkThatStaysListedStillMergesWithAConcurrentMerge() {
        for (boolean replacementFirst : new boolean[] {false, true}) {
            assertFalse(race(FIVE_AND_A_TAIL, LargePersistentMapTest::mergeTheTail, m -> m.put("k0", -1),
                    replacementFirst), "replacement first: " + replacementFirst);
            tm1.begin();
            tm2.begin();
            assertEquals(-1, mapOf(c1).get("k0"));
            assertEquals(FIVE_AND_A_TAIL - 1, mapOf(c1).get("k" + (FIVE_AND_A_TAIL - 1)));
            assertEquals(mapOf(c1), mapOf(c2));
        }
    }

    /** The emptied, unlisted chunks of a merge and a shrink stay harmless, before and after a pack. */
    @Test
    void chunksLeftByAMergeAndAShrinkAreHarmlessBeforeAndAfterAPack() {
        PersistentMap<String, Integer> m = new PersistentMap<>(PersistentMapTest.entries(0, FIVE_AND_A_TAIL));
        c1.root().put("m", m);
        tm1.commit();
        mergeTheTail(m);
        tm1.commit();
        LinkedHashMap<String, Integer> expected = new LinkedHashMap<>(m);
        db.pack();
        tm2.begin();
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(mapOf(c2).entrySet()));
        for (int i = 0; m.$jodbLayout() != null; i++) {
            m.remove("k" + i);
        }
        tm1.commit();
        db.pack();
        c1.cacheMinimize();
        tm2.begin();
        assertEquals(m, mapOf(c2));
        assertEquals(new ArrayList<>(m.keySet()), new ArrayList<>(mapOf(c2).keySet()));
    }

    /** entrySet and values iterators across a savepoint and a cacheMinimize: changes reach the live map. */
    @Test
    void entryAndValueIteratorsKeepWorkingAfterTheCacheGhostedTheirChunks() {
        PersistentMap<String, Integer> m = committedLarge();
        Iterator<Map.Entry<String, Integer>> entries = m.entrySet().iterator();
        assertEquals("k0", entries.next().getKey());
        tm1.savepoint();
        c1.cacheMinimize();
        Map.Entry<String, Integer> e = entries.next();
        assertEquals("k1", e.getKey());
        assertEquals(1, e.setValue(-1));
        assertEquals(-1, e.getValue());
        entries.remove();
        tm1.savepoint();
        c1.cacheMinimize();
        Iterator<Integer> values = m.values().iterator();
        assertEquals(0, values.next());
        assertEquals(2, values.next());
        tm1.savepoint();
        c1.cacheMinimize();
        values.remove();
        int seen = 2;
        while (values.hasNext()) {
            values.next();
            seen++;
        }
        assertEquals(LARGE - 1, seen, "every key left after k1 seen once");
        tm1.commit();
        tm2.begin();
        LinkedHashMap<String, Integer> expected = PersistentMapTest.entries(0, LARGE);
        expected.remove("k1");
        expected.remove("k2");
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(mapOf(c2).entrySet()));
    }

    /** The batch job on a map small enough for one record. */
    @Test
    void singleRecordKeySetIteratorRemoveAcrossASavepointWithASmallCache() {
        c1.root().put("m", new PersistentMap<>(PersistentMapTest.entries(0, 500)));
        tm1.commit();
        PersistentMap<String, Integer> m = mapOf(c1);
        c1.setCacheSize(2);
        c1.cacheMinimize();
        LinkedHashMap<String, Integer> model = PersistentMapTest.entries(0, 500);
        Iterator<String> it = m.keySet().iterator();
        int i = 0;
        while (it.hasNext()) {
            String k = it.next();
            if (i++ % 10 == 0) {
                tm1.savepoint();
            }
            if (Integer.parseInt(k.substring(1)) % 3 == 0) {
                it.remove();
                model.remove(k);
            }
        }
        assertEquals(500, i);
        assertEquals(new ArrayList<>(model.keySet()), new ArrayList<>(m.keySet()));
        tm1.commit();
        tm2.begin();
        assertEquals(model, mapOf(c2));
    }
}
