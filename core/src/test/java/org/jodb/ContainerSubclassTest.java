package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Subclasses of PersistentMap and PersistentList. One with fields of its own is refused at commit, naming the
 * fields and the remedy: no proxy intercepts a container made with {@code new}, so a change to such a field
 * alone would never be written, and the fields would read {@code null}/0 after a reload until some container
 * method loaded the ghost. One without fields of its own is stored like its container, but never merged.
 */
class ContainerSubclassTest {

    public static class Catalog extends PersistentMap<String, Integer> {
        private String title;

        public Catalog(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    public static class Shelf extends PersistentList<String> {
        private int capacity = 3;

        public int capacity() {
            return capacity;
        }
    }

    /** Methods of its own, working through the map's: nothing to lose. */
    public static class Stock extends PersistentMap<String, Integer> {
        private transient int reads;

        public int total() {
            reads++;
            return values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    @Test
    void aSubclassWithFieldsOfItsOwnIsRefusedAtCommitAndNothingIsWritten() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("kept", "yes");
            tm.commit();
            long before = db.storage().lastTid();
            for (Object container : List.of(new Catalog("books"), new Shelf())) {
                c.root().put("c", container);
                UnsupportedClassException e = assertThrows(UnsupportedClassException.class, tm::commit);
                assertTrue(e.getMessage().contains(container.getClass().getName())
                        && e.getMessage().contains(container instanceof Catalog ? "Catalog.title" : "Shelf.capacity")
                        && e.getMessage().contains("Connection.create"), e.getMessage());
                tm.abort();
                assertEquals(before, db.storage().lastTid(), "nothing was written");
            }

            Stock stock = new Stock();
            stock.put("a", 2);
            stock.put("b", 3);
            c.root().put("stock", stock);
            tm.commit();
            TransactionManager reader = new TransactionManager(false);
            assertEquals(5, ((Stock) db.open(reader).root().get("stock")).total());
            reader.abort();
        }
    }

    /** A PersistentMap subclass with nothing of its own (one with fields is refused: see above). */
    public static class Tagged extends PersistentMap<String, String> {
    }

    /**
     * Conflict resolution merges concurrent changes of a PersistentMap itself, never of a subclass (whose
     * code may keep state the merge cannot see): the later of two concurrent commits to one subclass
     * instance fails with ConflictException, and the earlier one's change is what is stored.
     */
    @Test
    void mergeOfAMapSubclassConflicts() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm1 = new TransactionManager(false);
            TransactionManager tm2 = new TransactionManager(false);
            Connection c1 = db.open(tm1);
            Connection c2 = db.open(tm2);
            Tagged t1 = new Tagged();
            c1.root().put("t", t1);
            tm1.commit();
            tm2.begin();
            Tagged t2 = (Tagged) c2.root().get("t");
            t1.put("k1", "v1");
            tm1.commit();
            t2.put("k2", "v2");
            assertThrows(ConflictException.class, tm2::commit, "a subclass is never merged");
            tm2.abort();

            TransactionManager tm3 = new TransactionManager(false);
            Tagged r = (Tagged) db.open(tm3).root().get("t");
            assertEquals(Set.of("k1"), r.keySet(), "only the first commit's change");
            tm3.abort();
        }
    }
}
