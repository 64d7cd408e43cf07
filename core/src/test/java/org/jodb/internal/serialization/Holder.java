package org.jodb.internal.serialization;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.transaction.TransactionManager;

/** A persistent class with one field of any type, for tests of how values are stored and loaded. */
public class Holder {
    private Object value;

    public Holder(Object value) {
        this.value = value;
    }

    protected Holder() {
    }

    public Object value() {
        return value;
    }

    /**
     * Commits {@code value} in a holder under the root of a new in-memory database, and returns what a
     * second connection loads back.
     */
    public static Object roundTrip(Object value) {
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
}
