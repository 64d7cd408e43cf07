package org.jodb.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Values that a commit accepts must load again: a record that commits but cannot be read makes the object
 * holding it (and, when that is the root, the whole database) unreadable after the commit was acknowledged.
 */
class SerializationRegressionTest {

    /** A persistent class with one field of any type. */
    public static class Holder {
        private Object value;

        public Holder(Object value) {
            this.value = value;
        }

        protected Holder() {
        }

        public Object value() {
            return value;
        }
    }

    private static Object roundTrip(Object value) {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("h", c.create(Holder.class, value));
            tm.commit(); // succeeds: the value was written
            TransactionManager reader = new TransactionManager(false);
            Holder h = (Holder) db.open(reader).root().get("h");
            Object back = h.value();
            reader.abort();
            return back;
        }
    }

    /**
     * Expected: an EnumMap value loads back equal (or the commit fails naming the field, as for other
     * unsupported JDK classes). Actual: the commit succeeds, and loading the object throws
     * ClassCastException "class java.util.concurrent.TimeUnit != null" from EnumMap.typeCheck: Kryo's
     * MapSerializer creates the EnumMap without a constructor (Objenesis), so its keyType is null.
     */
    @Test
    void enumMapValueLoadsAfterCommit() {
        EnumMap<TimeUnit, String> value = new EnumMap<>(Map.of(TimeUnit.SECONDS, "s"));
        assertEquals(value, roundTrip(value));
    }

    @Test
    @SuppressWarnings("unchecked")
    void emptyEnumMapKeepsItsKeyType() {
        EnumMap<TimeUnit, String> back = (EnumMap<TimeUnit, String>) roundTrip(new EnumMap<>(TimeUnit.class));
        assertEquals(Map.of(), back);
        back.put(TimeUnit.DAYS, "d"); // needs the key type: EnumMap.typeCheck
        assertEquals(Map.of(TimeUnit.DAYS, "d"), back);
    }

    /**
     * Expected: a List view such as ArrayList.subList loads back as an equal list (or the commit fails
     * naming the field). Actual: the commit succeeds; loading the object throws NullPointerException
     * ("this.root is null") because CollectionSerializer instantiates ArrayList$SubList without a
     * constructor and then calls add on it.
     */
    @Test
    @org.junit.jupiter.api.Disabled("defect: a subList view commits but its record can never be loaded again")
    void subListValueLoadsAfterCommit() {
        List<Integer> value = new ArrayList<>(List.of(1, 2, 3)).subList(0, 2);
        assertEquals(List.of(1, 2), roundTrip(value));
    }
}
