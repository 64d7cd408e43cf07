package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Expected: a subclass of PersistentMap or PersistentList either keeps its own fields through a reload or is
 * refused. Actual: it was committed, and then its fields read {@code null}/0 until some map method happened
 * to load the ghost, and a change to a field alone was never written (no proxy intercepts a class made with
 * {@code new}). Such a subclass is now refused at commit, naming the fields and the remedy; one without fields
 * of its own works as before.
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
}
