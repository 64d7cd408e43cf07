package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.UnsupportedClassException;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * A subclass of TreeMap/TreeSet that Kryo cannot rebuild (it has no public constructor taking a
 * Comparator, like an anonymous "double brace" map) is refused at commit: committed, the record holding it
 * could never be loaded again (under the root, the whole root map).
 */
class UnreadableTypesTest {

    /** A subclass with the constructor Kryo needs: stored and loaded as before. */
    public static class Scores extends TreeMap<String, Integer> {
        public Scores() {
        }

        public Scores(Comparator<? super String> order) {
            super(order);
        }
    }

    @Test
    void aSortedSubclassWithoutAComparatorConstructorIsRefusedAtCommit() {
        TreeMap<String, Integer> doubleBrace = new TreeMap<>() {
            {
                put("a", 1);
            }
        };
        TreeSet<String> setDoubleBrace = new TreeSet<>() {
            {
                add("a");
            }
        };
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("kept", "yes");
            tm.commit();
            long before = db.storage().lastTid();
            for (Object value : new Object[] {doubleBrace, setDoubleBrace}) {
                c.root().put("value", value);
                UnsupportedClassException e = assertThrows(UnsupportedClassException.class, tm::commit);
                assertTrue(e.getMessage().contains(value.getClass().getName())
                        && e.getMessage().contains("Comparator"), e.getMessage());
                tm.abort();
                assertEquals(before, db.storage().lastTid(), "nothing was written");
            }
        }
        Scores scores = new Scores(Comparator.reverseOrder());
        scores.put("a", 1);
        scores.put("b", 2);
        Scores loaded = (Scores) Holder.roundTrip(scores);
        assertEquals("{b=2, a=1}", loaded.toString());
    }
}
