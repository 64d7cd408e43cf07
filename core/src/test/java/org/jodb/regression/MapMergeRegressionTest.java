package org.jodb.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.jodb.ConflictException;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/** PersistentMap conflict resolution must never drop a committed change. */
class MapMergeRegressionTest {

    /** A PersistentMap subclass with state of its own besides the entries. */
    public static class Tagged extends PersistentMap<String, String> {
        private String tag = "none";

        /** Sets the tag; the put/remove pair marks the map changed so that the field is written. */
        public void tag(String t) {
            put("$touch", t);
            remove("$touch");
            tag = t;
        }

        public String tagValue() {
            return tag;
        }
    }

    /**
     * Expected: when two transactions change one PersistentMap subclass and the second also changes a
     * field of the subclass, either both changes survive or the second commit fails with
     * ConflictException. Actual: MapConflictResolver accepts any non-proxy Map class, merges the entries
     * into the decoded committed map and writes that object, so the second transaction's field change is
     * replaced by the committed field value and silently lost, though its commit succeeded.
     * Fixed: only PersistentMap itself is merged; a subclass's concurrent change is a ConflictException.
     */
    @Test
    void mergeOfAMapSubclassKeepsItsFieldChangeOrConflicts() {
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
            t2.tag("important");
            assertThrows(ConflictException.class, tm2::commit, "a subclass is never merged");
            tm2.abort();

            TransactionManager tm3 = new TransactionManager(false);
            Tagged r = (Tagged) db.open(tm3).root().get("t");
            assertEquals(Set.of("k1"), r.keySet(), "only the first commit's change");
            assertEquals("none", r.tagValue());
            tm3.abort();
        }
    }
}
