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

    /** A PersistentMap subclass with nothing of its own (one with fields is refused: ContainerSubclassTest). */
    public static class Tagged extends PersistentMap<String, String> {
    }

    /**
     * Expected: when two transactions change one PersistentMap subclass, either both changes survive or the
     * second commit fails with ConflictException. Actual: MapConflictResolver accepted any non-proxy Map
     * class and merged the entries into the decoded committed map, so a field change of the subclass in the
     * second transaction was replaced by the committed field value and silently lost, though its commit
     * succeeded. Fixed: only PersistentMap itself is merged; a subclass's concurrent change is a
     * ConflictException. (A subclass can no longer have fields of its own; the merge still leaves it alone.)
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
