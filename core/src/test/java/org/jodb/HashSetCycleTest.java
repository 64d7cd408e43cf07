package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Persistent objects with equals/hashCode held in hash sets and maps of each other (a graph of nodes with
 * neighbour sets). Reading such a set calls {@code hashCode} of its elements, which loads them; when the
 * set leads back to the object being loaded, that object used to start loading again, forever
 * (StackOverflowError on the first access after the objects became ghosts).
 */
class HashSetCycleTest {

    /** A node whose identity is its name, declared before the collections so that it is read first. */
    public static class Node {
        private String name;
        private final Set<Node> neighbours = new HashSet<>();
        private final Map<Node, Integer> weights = new HashMap<>();

        protected Node() {
        }

        public Node(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public Set<Node> neighbours() {
            return neighbours;
        }

        public void link(Node other, int weight) {
            neighbours.add(other);
            weights.put(other, weight);
        }

        public Integer weight(Node other) {
            return weights.get(other);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Node n && Objects.equals(name, n.name);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(name);
        }
    }

    private final MemoryStorage storage = new MemoryStorage();

    @Test
    void objectsInHashSetsOfEachOtherLoadInAFreshConnection() {
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            Node a = c.create(Node.class, "a");
            Node b = c.create(Node.class, "b");
            a.link(b, 1);
            a.link(a, 2);
            b.link(a, 3);
            c.root().put("a", a);
            tm.commit();

            TransactionManager tm2 = new TransactionManager(false);
            Connection other = db.open(tm2);
            Node a2 = (Node) other.root().get("a");
            assertEquals("a", a2.name());
            assertEquals(2, a2.neighbours().size());
            assertTrue(a2.neighbours().contains(a2), "a holds itself");
            Node b2 = a2.neighbours().stream().filter(n -> n.name().equals("b")).findFirst().orElseThrow();
            assertTrue(b2.neighbours().contains(a2), "b holds a, the object whose loading loaded b");
            assertSame(a2, b2.neighbours().iterator().next());
            assertEquals(2, a2.weight(a2));
            assertEquals(3, b2.weight(a2));

            // b was loaded from inside a's load: it is a tracked object like any other
            b2.link(c2(other), 4);
            tm2.commit();
            tm.abort();
            Node b1 = a.neighbours().stream().filter(n -> n.name().equals("b")).findFirst().orElseThrow();
            assertEquals(2, b1.neighbours().size(), "the change made to b after the nested load was committed");
        }
    }

    @Test
    void aGhostInvalidatedByAnotherConnectionReloadsThroughTheCycle() {
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            Node a = c.create(Node.class, "a");
            Node b = c.create(Node.class, "b");
            a.link(b, 1);
            b.link(a, 1);
            c.root().put("a", a);
            tm.commit();
            c.cacheMinimize();
            Node again = (Node) c.root().get("a");
            assertSame(a, again);
            assertEquals(1, a.neighbours().size());
            Node bAgain = a.neighbours().iterator().next();
            assertSame(b, bAgain);
            assertTrue(bAgain.neighbours().contains(a));
        }
    }

    private static Node c2(Connection conn) {
        return conn.create(Node.class, "c");
    }
}
