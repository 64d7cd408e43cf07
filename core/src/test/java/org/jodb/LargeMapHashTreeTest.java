package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jodb.transaction.Savepoint;
import org.junit.jupiter.api.Test;

/**
 * The hash tree of a large {@code PersistentMap} under two connections, savepoints and keys without a
 * stable hash: the map answers like a {@code LinkedHashMap} whatever form its index has.
 */
class LargeMapHashTreeTest extends TwoConnections {
    private static final int LARGE = 3000;

    /** A key whose hash jodb does not know to be stable. */
    static final class OwnKey {
        final String name;

        OwnKey(String name) {
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OwnKey k && k.name.equals(name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name);
        }
    }

    private PersistentMap<Object, Integer> committedLargeMap() {
        PersistentMap<Object, Integer> m = new PersistentMap<>();
        for (int i = 0; i < LARGE; i++) {
            m.put("k" + i, i);
        }
        c1.root().put("m", m);
        tm1.commit();
        return m;
    }

    @SuppressWarnings("unchecked")
    private static PersistentMap<Object, Integer> map(Connection c) {
        return (PersistentMap<Object, Integer>) c.root().get("m");
    }

    @Test
    void twoConnectionsInsertingDifferentKeysBothCommitAndBothKeysAreFoundByHash() {
        PersistentMap<Object, Integer> m1 = committedLargeMap();
        tm2.begin();
        PersistentMap<Object, Integer> m2 = map(c2);
        m1.put("from one", 1);
        m2.put("from two", 2);
        m2.put("k5", -5);
        tm1.commit();
        tm2.commit(); // merged: the last chunk, the map's counters, the tree's buckets and size counter
        try (Database fresh = Database.open(storage)) {
            Connection c = fresh.open(new org.jodb.transaction.TransactionManager(false));
            PersistentMap<Object, Integer> cold = map(c);
            assertEquals(1, cold.get("from one"));
            assertEquals(2, cold.get("from two"));
            assertEquals(-5, cold.get("k5"));
            assertEquals(LARGE - 1, cold.get("k" + (LARGE - 1)));
            assertEquals(LARGE + 2, cold.size());
            assertNotNull(cold.$jodbLayout().hashTree());
        }
    }

    @Test
    void insertingTheSameNewKeyInBothConflicts() {
        PersistentMap<Object, Integer> m1 = committedLargeMap();
        tm2.begin();
        map(c2).put("same", 2);
        m1.put("same", 1);
        tm1.commit();
        assertThrows(ConflictException.class, tm2::commit);
    }

    @Test
    void aKeyWithoutAStableHashDropsTheTreeAndItsRemovalBringsItBack() {
        PersistentMap<Object, Integer> m = committedLargeMap();
        Object tree = m.$jodbLayout().hashTree();
        assertNotNull(tree);
        m.put(new OwnKey("own"), 7);
        assertNull(m.$jodbLayout().hashTree(), "the tree cannot index a key without a stable hash");
        assertEquals(7, m.get(new OwnKey("own")));
        assertEquals(12, m.get("k12"));
        tm1.commit();
        tm2.begin();
        assertEquals(7, map(c2).get(new OwnKey("own")), "another connection, through the index of every key");
        tm2.abort();
        assertEquals(7, m.remove(new OwnKey("own")));
        assertNull(m.$jodbLayout().hashTree(), "built at the next change of a key");
        m.put("after", 8);
        assertNotNull(m.$jodbLayout().hashTree());
        assertTrue(tree != m.$jodbLayout().hashTree(), "a new tree: the dropped one is left as it was");
        tm1.commit();
        tm2.begin();
        assertEquals(8, map(c2).get("after"));
        assertNull(map(c2).get(new OwnKey("own")));
        assertEquals(LARGE + 1, map(c2).size());
    }

    @Test
    void aRollbackRestoresTheTreeAndTheKeysItFinds() {
        PersistentMap<Object, Integer> m = committedLargeMap();
        Object tree = m.$jodbLayout().hashTree();
        Savepoint savepoint = tm1.savepoint();
        m.put(new OwnKey("own"), 7);
        for (int i = 0; i < LARGE; i += 3) {
            m.remove("k" + i);
        }
        m.put("new", 1);
        savepoint.rollback();
        assertNull(m.get(new OwnKey("own")));
        assertTrue(tree == m.$jodbLayout().hashTree(), "the tree of the savepoint");
        assertNull(m.get("new"));
        assertEquals(3, m.get("k3"));
        LinkedHashMap<Object, Integer> expected = new LinkedHashMap<>();
        for (int i = 0; i < LARGE; i++) {
            expected.put("k" + i, i);
        }
        assertEquals(expected, m);
        assertEquals(new java.util.ArrayList<>(expected.keySet()), new java.util.ArrayList<>(m.keySet()));
        m.put("after rollback", 1);
        tm1.commit();
        tm2.begin();
        assertEquals(1, map(c2).get("after rollback"));
        assertEquals(LARGE + 1, map(c2).size());
        for (Map.Entry<Object, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), map(c2).get(e.getKey()));
        }
    }

    /** The slots of the hash tree of {@code m} for the stable hash of {@code key} (a String: its hashCode). */
    private static long slotsOf(PersistentMap<Object, Integer> m, String key) {
        return m.$jodbLayout().hashTree().keySet().stream().filter(slot -> slot >> 32 == key.hashCode()).count();
    }

    /**
     * Keys of one stable hash spread over three chunks ("AaAa", "AaBB", "BBAa", "BBBB" share one): each chunk
     * holding keys of the hash has exactly one slot, whether a new key goes into a chunk that has a slot
     * already or not, and after a removal reorders the slots a key behind the last chunk's slot is still
     * found and replaced, not added twice.
     */
    @Test
    void keysOfOneHashInSeveralChunksKeepOneSlotPerChunk() {
        PersistentMap<Object, Integer> m = new PersistentMap<>();
        LinkedHashMap<Object, Integer> expected = new LinkedHashMap<>();
        int[] filler = {0};
        Runnable fill500 = () -> {
            for (int i = 0; i < 500; i++, filler[0]++) {
                m.put("f" + filler[0], filler[0]);
                expected.put("f" + filler[0], filler[0]);
            }
        };
        m.put("AaAa", 1);
        expected.put("AaAa", 1);
        fill500.run();
        fill500.run();
        m.put("AaBB", 2);
        expected.put("AaBB", 2);
        fill500.run(); // chunked past 1,024 entries: "AaAa" in the first chunk, "AaBB" in the second
        m.put("BBAa", 3);
        expected.put("BBAa", 3);
        m.put("BBBB", 4); // the same hash, the same (last) chunk: its slot exists already
        expected.put("BBBB", 4);
        assertEquals(3, m.$jodbLayout().chunkCount());
        assertEquals(3, slotsOf(m, "AaAa"));
        c1.root().put("m", m);
        tm1.commit();

        m.remove("AaAa"); // the first slot now names the last chunk, ahead of the slot of "AaBB"'s chunk
        expected.remove("AaAa");
        assertEquals(2, slotsOf(m, "AaAa"));
        assertEquals(2, m.put("AaBB", 20), "found behind the last chunk's slot");
        expected.put("AaBB", 20);
        assertEquals(null, m.put("AaAa", 10), "new again, into the last chunk, which has its slot");
        expected.put("AaAa", 10);
        assertEquals(2, slotsOf(m, "AaAa"));
        assertEquals(expected, m);
        tm1.commit();

        // A new key while the last chunk is full starts a new last chunk, which gets a slot of the key's hash.
        java.util.function.IntConsumer fillTo = entries -> {
            while (m.size() < entries) {
                m.put("f" + filler[0], filler[0]);
                expected.put("f" + filler[0], filler[0]);
                filler[0]++;
            }
        };
        fillTo.accept(511 + 512 + 512); // the first chunk lost "AaAa": 511, 512, and the third is full
        assertEquals(3, m.$jodbLayout().chunkCount());
        m.put("C#C#", 5); // "C#" and "Aa" share a hash: a slot past the last; the full chunk keeps its own
        expected.put("C#C#", 5);
        assertEquals(4, m.$jodbLayout().chunkCount());
        assertEquals(3, slotsOf(m, "AaAa"));
        fillTo.accept(511 + 512 + 512 + 512);
        m.put("AaAaAa", 6); // a hash without slots: the slot first offered to the full chunk
        expected.put("AaAaAa", 6);
        assertEquals(5, m.$jodbLayout().chunkCount());
        assertEquals(1, slotsOf(m, "AaAaAa"));
        assertEquals(5, m.get("C#C#"));
        assertEquals(6, m.get("AaAaAa"));
        assertEquals(3, m.get("BBAa"), "the full chunk's key of the hash is still found");
        assertEquals(expected, m);
        tm1.commit();

        tm2.begin();
        PersistentMap<Object, Integer> other = map(c2);
        assertEquals(expected.size(), other.size());
        for (Map.Entry<Object, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), other.get(e.getKey()));
        }
        assertEquals(new java.util.ArrayList<>(expected.keySet()), new java.util.ArrayList<>(other.keySet()));
    }
}
