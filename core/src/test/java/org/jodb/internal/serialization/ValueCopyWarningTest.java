package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plain instance ({@code new}) of a class that is also used with {@code Connection.create} is stored as a
 * value, a copy with no oid: jodb says so, once per class, naming the class and the remedy.
 */
class ValueCopyWarningTest {
    /** A class only ever stored as a value. */
    public static class Note {
        private String text;

        public Note(String text) {
            this.text = text;
        }

        protected Note() {
        }
    }

    private final List<String> warnings = new ArrayList<>();
    private final Logger log = Logger.getLogger(ValueCopies.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            warnings.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final MemoryStorage storage = new MemoryStorage();
    private final Database db = Database.open(storage);
    private final TransactionManager tm = new TransactionManager();

    @BeforeEach
    void listen() {
        log.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(handler);
        tm.abort();
        db.close();
    }

    @Test
    void aPlainInstanceOfACreatedClassIsReportedOncePerClass() {
        Connection c = db.open(tm);
        c.root().put("alice", c.create(Account.class, "alice", 1L));
        Account bob = new Account("bob", 2L);
        c.root().put("bob", bob);
        tm.commit();
        assertTrue(Persistence.oid(bob).isEmpty(), "bob is a value, stored inside the root's record");
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.startsWith("a plain " + Account.class.getName() + " (made with new, not by Connection.create)"
                + " is stored as a value"), w);
        assertTrue(w.contains("connection.create(Account.class, ...)") && w.contains("a record"), w);
        c.root().put("carol", new Account("carol", 3L));
        tm.commit();
        assertEquals(1, warnings.size(), "once per class: " + warnings);
    }

    @Test
    void aClassNeverUsedAsPersistentIsAQuietValue() {
        Connection c = db.open(tm);
        c.root().put("note", new Note("values are fine"));
        c.root().put("alice", c.create(Account.class, "alice", 1L));
        tm.commit();
        assertEquals(List.of(), warnings);
    }

    @Test
    void loadingAPersistentInstanceMakesTheClassPersistentToo() {
        Connection c = db.open(tm);
        c.root().put("alice", c.create(Account.class, "alice", 1L));
        tm.commit();
        Database second = Database.open(storage); // a second database, whose codec has not seen Account yet
        TransactionManager other = new TransactionManager();
        Connection again = second.open(other);
        assertTrue(again.root().get("alice") instanceof Account); // read as a reference: no method runs
        again.root().put("bob", new Account("bob", 2L));
        other.commit();
        assertEquals(1, warnings.size(), warnings.toString());
    }
}
