package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Nested savepoints with every record spilled to the temporary file (threshold 0) and a cache that ghosts
 * everything at each savepoint: rollbacks restore each savepoint's state and the commit writes it.
 */
class SpilledSavepointTest {

    /** A persistent class with a name and a reference. */
    public static class Node {
        private String name;
        private Node next;

        public Node(String name) {
            this.name = name;
        }

        protected Node() {
        }

        public String name() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public Node next() {
            return next;
        }

        public void setNext(Node next) {
            this.next = next;
        }
    }

    @Test
    void nestedRollbacksOnTheSpillFileWithAnEmptyCacheCommitTheRestoredState() {
        try (Database db = Database.open(new MemoryStorage(),
                new Database.Options().savepointSpillThreshold(0).cacheSize(0))) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            Node a = c.create(Node.class, "a");
            c.root().put("a", a);
            tm.commit();
            a.setName("a1");
            Savepoint s1 = tm.savepoint();
            a.setName("a2");
            Node b = c.create(Node.class, "b");
            a.setNext(b);
            Savepoint s2 = tm.savepoint();
            a.setName("a3");
            b.setName("b3");
            tm.savepoint();
            s2.rollback();
            assertEquals("a2", a.name());
            assertEquals("b", a.next().name());
            s1.rollback();
            assertEquals("a1", a.name());
            assertNull(a.next());
            a.setName("a4");
            tm.commit();

            TransactionManager reader = new TransactionManager(false);
            Node r = (Node) db.open(reader).root().get("a");
            assertEquals("a4", r.name());
            assertNull(r.next());
            reader.abort();
        }
    }
}
