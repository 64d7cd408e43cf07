package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * When loading a ghost's state fails, the object stays a ghost (as ZODB's persistent objects do), so the
 * next use tries to load it again and, once the cause is gone, gets the whole state.
 */
class GhostLoadFailureTest {

    /** A list whose construction fails while {@link #failing} is set: loading a record holding it fails. */
    public static class FlakyList extends ArrayList<String> {
        static boolean failing;

        public FlakyList() {
            if (failing) {
                throw new IllegalStateException("flaky list cannot be built now");
            }
        }
    }

    public static class Holder {
        private String name;
        private FlakyList items = new FlakyList();
        private int count;

        public Holder(String name) {
            this.name = name;
        }

        protected Holder() {
        }

        public void add(String item) {
            items.add(item);
            count++;
        }

        public String summary() {
            return name + " " + items + " " + count;
        }
    }

    @Test
    void aGhostWhoseLoadFailsStaysAGhostAndLoadsWhenUsedAgain() {
        Database db = Database.open(new MemoryStorage());
        try {
            TransactionManager tm = new TransactionManager();
            Connection conn = db.open(tm);
            Holder h = conn.create(Holder.class, "h");
            h.add("x");
            conn.root().put("h", h);
            tm.commit();

            TransactionManager tm2 = new TransactionManager();
            Holder ghost = (Holder) db.open(tm2).root().get("h");
            FlakyList.failing = true;
            try {
                RuntimeException e = assertThrows(RuntimeException.class, ghost::summary);
                assertTrue(causes(e).stream().anyMatch(c -> "flaky list cannot be built now".equals(c.getMessage())),
                        e.toString());
                assertThrows(RuntimeException.class, ghost::summary, "still a ghost: it loads again, and fails again");
            } finally {
                FlakyList.failing = false;
            }
            assertEquals("h [x] 1", ghost.summary());
            ghost.add("y");
            tm2.commit();
            tm.abort();
            assertEquals("h [x, y] 2", h.summary());
        } finally {
            db.close();
        }
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
            all.add(c);
        }
        return all;
    }
}
