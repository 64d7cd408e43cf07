package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.function.Supplier;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.UnsupportedClassException;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Values whose state jodb's field-by-field records would not hold used to be committed, and loaded after a
 * reopen without that state: an inner class without its enclosing instance ({@code this$0} null, a
 * {@code NullPointerException} on first use), a local class without its captured variables, a
 * Serializable or Externalizable class without the transient fields it writes by hand. They are now
 * refused at commit, naming the class and the remedy, and nothing is written.
 */
class UnstoredStateTest {
    private final String label = "outer";

    /** An inner class: its methods read the enclosing instance. */
    class Line {
        private int quantity = 2;

        String describe() {
            return label + ":" + quantity;
        }
    }

    public static class HandSerialized implements Serializable {
        private transient int[] data = {1, 2, 3};

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            out.writeObject(data);
        }
    }

    public static class External implements Externalizable {
        private transient String text = "text";

        public External() {
        }

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            out.writeUTF(text);
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException {
            text = in.readUTF();
        }
    }

    /** A static nested class with a transient cache and no hand-written serialization: stored as before. */
    public static class Cached {
        private int value = 5;
        private transient String cache = "derived";

        int value() {
            return value;
        }
    }

    /** An exception of the application, kept as the last error of a job. */
    public static class Failure extends RuntimeException {
        private int attempts;

        public Failure(String message, int attempts) {
            super(message);
            this.attempts = attempts;
        }

        int attempts() {
            return attempts;
        }
    }

    @Test
    void valuesThatWouldLoseStateAreRefusedAtCommitAndNothingIsWritten() {
        String captured = "captured";
        class Local implements Supplier<String> {
            @Override
            public String get() {
                return captured + "!";
            }
        }
        Map<String, Supplier<Object>> values = Map.of(
                "this$0", () -> new Line(),
                "val$captured", Local::new,
                "HandSerialized.data", HandSerialized::new,
                "External.text", External::new);
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("kept", "yes");
            tm.commit();
            long before = db.storage().lastTid();
            values.forEach((field, value) -> {
                Object v = value.get();
                c.root().put("h", c.create(Holder.class, v));
                UnsupportedClassException e = assertThrows(UnsupportedClassException.class, tm::commit);
                assertTrue(e.getMessage().contains(v.getClass().getName()) && e.getMessage().contains(field),
                        e.getMessage());
                tm.abort();
                assertEquals(before, db.storage().lastTid(), "nothing was written");
            });
        }
        assertEquals(5, ((Cached) Holder.roundTrip(new Cached())).value());
        // Throwable writes transient fields of its own in writeObject: an exception of the application is
        // stored as before (its fields are opened by the JVM flags the build runs with)
        Failure failure = (Failure) Holder.roundTrip(new Failure("disk full", 3));
        assertEquals("disk full", failure.getMessage());
        assertEquals(3, failure.attempts());
    }
}
