package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * A value nested too deeply to serialize (a long chain of non-persistent objects) used to fail the commit
 * with a bare {@link StackOverflowError} (no message, an Error that retry loops and most handlers let
 * through): now an {@link UnsupportedClassException} naming the class and the remedy. Either way nothing
 * is written, the transaction can be aborted, and the connection keeps working.
 */
class DeepValueTest {

    /** Holds any value. */
    public static class Holder {
        private Object value;

        public Holder() {
        }

        public void set(Object v) {
            value = v;
        }

        public Object get() {
            return value;
        }
    }

    private static Object[] chain(int depth) {
        Object[] head = new Object[1];
        Object[] at = head;
        for (int i = 0; i < depth; i++) {
            Object[] next = new Object[1];
            at[0] = next;
            at = next;
        }
        return head;
    }

    @Test
    void aValueNestedTooDeeplyFailsTheCommitWithAClearErrorAndTheConnectionKeepsWorking() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager();
            Connection c = db.open(tm);
            tm.begin();
            Holder h = c.create(Holder.class);
            c.root().put("h", h);
            h.set("committed");
            tm.commit();
            long before = db.storage().lastTid();

            tm.begin();
            h.set(chain(1_000_000));
            c.root().put("other", "change");
            UnsupportedClassException e = assertThrows(UnsupportedClassException.class, tm::commit);
            assertTrue(e.getMessage().contains(Holder.class.getName()) && e.getMessage().contains("too deeply"),
                    e.getMessage());
            tm.abort();
            assertEquals(before, db.storage().lastTid(), "nothing was written");

            tm.begin();
            assertEquals("committed", h.get());
            assertEquals(null, c.root().get("other"));
            h.set(List.of(1, 2));
            tm.commit();

            TransactionManager reader = new TransactionManager();
            Connection r = db.open(reader);
            reader.begin();
            assertEquals(List.of(1, 2), ((Holder) r.root().get("h")).get());
            reader.abort();
        }
    }

    @Test
    void aSavepointOfAValueNestedTooDeeplyFailsTheTransactionWhichAbortsCleanly() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager();
            Connection c = db.open(tm);
            tm.begin();
            Holder h = c.create(Holder.class);
            c.root().put("h", h);
            tm.commit();

            tm.begin();
            h.set(chain(1_000_000));
            assertThrows(UnsupportedClassException.class, tm::savepoint);
            tm.abort();
            tm.begin();
            assertEquals(null, h.get());
            h.set("after");
            tm.commit();
            tm.begin();
            c.cacheMinimize();
            assertEquals("after", h.get());
            tm.abort();
        }
    }
}
