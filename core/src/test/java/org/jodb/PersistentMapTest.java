package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/** PersistentMap in both of its forms: switching, precise writes, views, reloads, merges. */
class PersistentMapTest extends TwoConnections {
    private static final int LARGE = 3000; // six chunks, the last with room

    /** Entries "k" + i → i for i in [from, to), in that order. */
    static LinkedHashMap<String, Integer> entries(int from, int to) {
        LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            m.put("k" + i, i);
        }
        return m;
    }

    /** A committed large map under the root of c1, and c2 in a transaction that has read it. */
    @SuppressWarnings("unchecked")
    private PersistentMap<String, Integer> large(int n) {
        PersistentMap<String, Integer> m = new PersistentMap<>();
        m.putAll(entries(0, n));
        c1.root().put("m", m);
        tm1.commit();
        tm2.begin();
        return (PersistentMap<String, Integer>) c2.root().get("m");
    }

    private long[] oidsOfLastCommit(long before) {
        assertEquals(1, storage.transactionsAfter(before).size());
        return storage.transactionsAfter(before).get(0).oids();
    }

    @Test
    void switchesToChunksPastTheLimitAndBackBelowTheLowerOne() {
        PersistentMap<String, Integer> m = new PersistentMap<>();
        c1.root().put("m", m);
        for (int i = 0; i <= PersistentMap.CHUNKED_ABOVE; i++) {
            assertNull(m.$jodbLayout(), "one record up to the limit");
            m.put("k" + i, i);
        }
        assertNotNull(m.$jodbLayout(), "chunks past the limit");
        tm1.commit();
        for (int i = 0; m.size() >= PersistentMap.SINGLE_BELOW; i++) {
            assertNotNull(m.$jodbLayout());
            m.remove("k" + i);
        }
        assertNull(m.$jodbLayout(), "one record again");
        tm1.commit();
        assertEquals(entries(PersistentMap.CHUNKED_ABOVE + 2 - PersistentMap.SINGLE_BELOW,
                PersistentMap.CHUNKED_ABOVE + 1), m);
    }

    @Test
    void aCommitWritesOnlyWhatChanged() {
        PersistentMap<String, Integer> m = new PersistentMap<>(entries(0, LARGE));
        c1.root().put("m", m);
        tm1.commit();
        assertTrue(m.$jodbLayout().chunkCount() > 4);

        long before = storage.lastTid();
        m.put("k10", -10);
        tm1.commit();
        assertEquals(1, oidsOfLastCommit(before).length, "replacing a value: its chunk only");

        before = storage.lastTid();
        m.put("new", 1);
        tm1.commit();
        assertEquals(4, oidsOfLastCommit(before).length,
                "a new key: the last chunk, the map, and its hash tree's bucket and size counter");

        before = storage.lastTid();
        m.get("k20");
        m.forEach((k, v) -> { });
        m.keySet().iterator().next();
        tm1.commit();
        assertEquals(before, storage.lastTid(), "reading writes nothing");
    }

    /**
     * A change to a plain collection inside a persistent object is found, also for a plain list got from a
     * map or list by key or index and changed in place: the change is committed, not silently lost.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aPlainValueGotByKeyOrIndexAndChangedInPlaceIsCommitted() {
        PersistentMap<String, List<Integer>> small = new PersistentMap<>();
        small.put("k", new ArrayList<>(List.of(1)));
        PersistentMap<String, List<Integer>> large = new PersistentMap<>();
        for (int i = 0; i < LARGE; i++) {
            large.put("k" + i, new ArrayList<>(List.of(i)));
        }
        PersistentList<List<Integer>> list = new PersistentList<>();
        list.add(new ArrayList<>(List.of(1)));
        c1.root().put("small", small);
        c1.root().put("large", large);
        c1.root().put("list", list);
        tm1.commit();
        long before = storage.lastTid();

        small.get("k").add(2);
        large.get("k2000").add(-1);
        large.getOrDefault("k5", null).add(-5);
        list.get(0).add(2);
        tm1.commit();
        assertEquals(4, oidsOfLastCommit(before).length, "the small map, two chunks of the large one, the list");

        tm2.begin();
        assertEquals(List.of(1, 2), ((PersistentMap<String, List<Integer>>) c2.root().get("small")).get("k"));
        PersistentMap<String, List<Integer>> large2 = (PersistentMap<String, List<Integer>>) c2.root().get("large");
        assertEquals(List.of(2000, -1), large2.get("k2000"));
        assertEquals(List.of(5, -5), large2.get("k5"));
        assertEquals(List.of(1, 2), ((PersistentList<List<Integer>>) c2.root().get("list")).get(0));
    }

    @Test
    void readingImmutableValuesByKeyTouchesNothing() {
        record Price(String sku, long cents, java.time.LocalDate since) {
        }
        PersistentMap<String, Object> m = new PersistentMap<>();
        m.put("s", "text");
        m.put("n", 5L);
        m.put("p", new Price("a", 100, java.time.LocalDate.of(2026, 1, 1)));
        c1.root().put("m", m);
        tm1.commit();
        m.get("s");
        m.get("n");
        m.get("p");
        m.get("absent");
        assertFalse(isTouched(m), "reading immutable values touches nothing");
        m.put("l", new ArrayList<>());
        tm1.commit();
        m.get("l");
        assertTrue(isTouched(m), "a mutable value touches the map");
    }

    private static boolean isTouched(Object persistent) {
        return ((org.jodb.internal.object.PersistentObject) persistent).$jodbState().status()
                == org.jodb.internal.object.ObjectStatus.TOUCHED;
    }

    @Test
    void reopenedLargeMapIteratesInInsertionOrder() {
        LinkedHashMap<String, Integer> expected = entries(0, LARGE);
        expected.remove("k5");
        expected.put("k5", 5); // moves to the end
        PersistentMap<String, Integer> m = new PersistentMap<>(entries(0, LARGE));
        c1.root().put("m", m);
        tm1.commit();
        m.remove("k5");
        m.put("k5", 5);
        tm1.commit();

        Database again = Database.open(storage); // not closed: that would close the storage of db too
        {
            TransactionManager tm = new TransactionManager(false);
            @SuppressWarnings("unchecked")
            Map<String, Integer> read = (Map<String, Integer>) again.open(tm).root().get("m");
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(read.keySet()));
            assertEquals(expected, read);
            assertEquals(read, expected);
            assertEquals(expected.hashCode(), read.hashCode());
            assertEquals(expected.toString(), read.toString());
            assertEquals(LARGE - 1, read.get("k" + (LARGE - 1)));
            tm.abort();
        }
    }

    @Test
    void anotherConnectionsChangeOfTheKeySetIsSeenThoughTheSizeStaysTheSame() {
        PersistentMap<String, Integer> m2 = large(LARGE);
        assertEquals(0, m2.get("k0"), "c2's index is built");
        tm2.commit();
        @SuppressWarnings("unchecked")
        Map<String, Integer> m1 = (Map<String, Integer>) c1.root().get("m");
        m1.remove("k0");
        m1.put("fresh", 7);
        tm1.commit();
        tm2.begin();
        assertFalse(m2.containsKey("k0"));
        assertEquals(7, m2.get("fresh"));
        assertEquals(LARGE, m2.size());
    }

    @Test
    void concurrentInsertionsOfDifferentKeysIntoALargeMapAreMerged() {
        PersistentMap<String, Integer> m2 = large(LARGE);
        m2.size();
        @SuppressWarnings("unchecked")
        Map<String, Integer> m1 = (Map<String, Integer>) c1.root().get("m");
        m1.put("one", 1);
        m1.put("k3", -3);
        m1.remove("k7");
        tm1.commit();
        m2.put("two", 2);
        m2.put("k4", -4);
        m2.remove("k8");
        tm2.commit();

        LinkedHashMap<String, Integer> expected = entries(0, LARGE);
        expected.put("k3", -3);
        expected.put("k4", -4);
        expected.remove("k7");
        expected.remove("k8");
        expected.put("one", 1);
        expected.put("two", 2);
        tm1.begin();
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(m1.entrySet()));
        assertEquals(expected.size(), m1.size());
        assertEquals(expected, m2, "the merged state reloads after commit");
        assertEquals(expected.size(), m2.size());
    }

    @Test
    void concurrentChangesOfOneKeyOfALargeMapConflict() {
        PersistentMap<String, Integer> m2 = large(LARGE);
        m2.size();
        @SuppressWarnings("unchecked")
        Map<String, Integer> m1 = (Map<String, Integer>) c1.root().get("m");
        m1.put("k9", 1);
        tm1.commit();
        m2.put("k9", 2);
        ConflictException conflict = assertThrows(ConflictException.class, tm2::commit);
        // the conflict is on a chunk record, but the user knows only the map: the message names that
        assertEquals(PersistentMap.class.getName(), conflict.className());
        assertFalse(conflict.getMessage().contains("MapChunk"), conflict.getMessage());
        tm2.abort();
        assertEquals(1, m2.get("k9"));
    }

    @Test
    void bothInsertingTheSameKeyIntoALargeMapConflicts() {
        PersistentMap<String, Integer> m2 = large(LARGE);
        m2.size();
        @SuppressWarnings("unchecked")
        Map<String, Integer> m1 = (Map<String, Integer>) c1.root().get("m");
        m1.put("same", 1);
        tm1.commit();
        m2.put("same", 1);
        assertThrows(ConflictException.class, tm2::commit, "the size would count it twice");
        tm2.abort();
        assertEquals(LARGE + 1, m2.size());
    }

    @Test
    void aChangedChunkListIsNotMerged() {
        PersistentMap<String, Integer> m2 = large(LARGE);
        m2.size();
        @SuppressWarnings("unchecked")
        PersistentMap<String, Integer> m1 = (PersistentMap<String, Integer>) c1.root().get("m");
        int chunks = m1.$jodbLayout().chunkCount();
        for (int i = 0; m1.$jodbLayout().chunkCount() == chunks; i++) {
            m1.put("a" + i, i);
        }
        tm1.commit();
        m2.put("b", 1);
        assertThrows(ConflictException.class, tm2::commit);
        tm2.abort();
        m2.put("b", 1);
        tm2.commit();
        assertEquals(1, m2.get("b"));
    }

    @Test
    void abortAndRollbackRebuildTheIndex() {
        PersistentMap<String, Integer> m = new PersistentMap<>(entries(0, LARGE));
        c1.root().put("m", m);
        tm1.commit();
        m.put("x", 1);
        m.remove("k1");
        tm1.abort();
        assertFalse(m.containsKey("x"));
        assertEquals(1, m.get("k1"));
        assertEquals(LARGE, m.size());

        Savepoint sp = tm1.savepoint();
        m.put("y", 2);
        m.remove("k2");
        Savepoint sp2 = tm1.savepoint();
        for (int i = 0; i < 2 * LARGE; i++) {
            m.put("z" + i, i);
        }
        sp2.rollback();
        assertFalse(m.containsKey("z0"));
        assertEquals(2, m.get("y"));
        sp.rollback();
        assertFalse(m.containsKey("y"));
        assertEquals(2, m.get("k2"));
        assertEquals(entries(0, LARGE), m);
        tm1.commit();
    }

    @Test
    void viewsChangeALargeMapAndTheChangesAreCommitted() {
        PersistentMap<String, Integer> m = new PersistentMap<>(entries(0, LARGE));
        c1.root().put("m", m);
        tm1.commit();
        m.keySet().removeIf(k -> Integer.parseInt(k.substring(1)) % 3 == 0);
        m.values().remove(4);
        m.entrySet().remove(Map.entry("k5", 5));
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            if (e.getValue() % 2 == 0) {
                e.setValue(-e.getValue());
            }
        }
        m.replaceAll((k, v) -> v + 1000);
        m.computeIfAbsent("c", k -> 3);
        m.compute("k1", (k, v) -> v + 1);
        m.merge("k2", 1, Integer::sum);
        m.computeIfPresent("k7", (k, v) -> null);
        m.putIfAbsent("k1", 0);
        m.replace("k8", -1008 + 1000, 8);

        LinkedHashMap<String, Integer> expected = entries(0, LARGE);
        expected.keySet().removeIf(k -> Integer.parseInt(k.substring(1)) % 3 == 0);
        expected.values().remove(4);
        expected.remove("k5");
        expected.replaceAll((k, v) -> (v % 2 == 0 ? -v : v) + 1000);
        expected.computeIfAbsent("c", k -> 3);
        expected.compute("k1", (k, v) -> v + 1);
        expected.merge("k2", 1, Integer::sum);
        expected.computeIfPresent("k7", (k, v) -> null);
        expected.replace("k8", -1008 + 1000, 8);
        assertEquals(expected, m);
        tm1.commit();

        tm2.begin();
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(c2.root().get("m") instanceof Map<?, ?> r
                ? r.entrySet() : List.of()));
    }

    @Test
    void iteratorRemoveDropsEmptiedChunksAndCommits() {
        PersistentMap<String, Integer> m = new PersistentMap<>(entries(0, LARGE));
        c1.root().put("m", m);
        tm1.commit();
        Iterator<String> it = m.keySet().iterator();
        int kept = 0;
        while (it.hasNext()) {
            String k = it.next();
            if (Integer.parseInt(k.substring(1)) < LARGE - 600) {
                it.remove();
            } else {
                kept++;
            }
        }
        assertEquals(600, kept);
        assertEquals(600, m.size());
        assertTrue(m.$jodbLayout().chunkCount() <= 3, "emptied chunks were dropped");
        tm1.commit();
        tm2.begin();
        assertEquals(entries(LARGE - 600, LARGE), c2.root().get("m"));
    }

    @Test
    void aLargeSubclassMapIsNotMerged() {
        MapMergeSubject t1 = new MapMergeSubject();
        t1.putAll(entries(0, LARGE));
        c1.root().put("t", t1);
        tm1.commit();
        tm2.begin();
        MapMergeSubject t2 = (MapMergeSubject) c2.root().get("t");
        t2.size();
        t1.put("a", 1);
        tm1.commit();
        t2.put("b", 2);
        assertThrows(ConflictException.class, tm2::commit);
        tm2.abort();
        t2.put("k3", 33);
        t2.put("k2000", 2);
        tm2.commit();
        t1.put("k5", 5);
        tm1.commit(); // chunks are merged whatever map holds them
        tm2.begin();
        assertEquals(33, t2.get("k3"));
        assertEquals(5, t2.get("k5"));
        assertEquals(1, t2.get("a"));
    }

    /** A subclass of PersistentMap with nothing of its own. */
    public static class MapMergeSubject extends PersistentMap<String, Integer> {
    }
}
