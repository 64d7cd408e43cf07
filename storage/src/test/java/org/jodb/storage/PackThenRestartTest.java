package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jodb.Account;
import org.jodb.ConflictException;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.spi.DanglingReferenceException;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pack against the object layer on the file store, then a restart. */
class PackThenRestartTest {

    @TempDir
    Path tmp;

    /** A class stored only once before pack and then again after it. */
    public static class Note {
        private String text;

        public Note(String text) {
            this.text = text;
        }

        protected Note() {
        }

        public String text() {
            return text;
        }
    }

    /**
     * A class whose only records were dropped by pack (its type registry entries with them, as nothing live
     * referred to them) can be stored again, and the new record, and the root that refers to it, load after
     * a restart: the new record never names a registry entry that pack removed.
     */
    @Test
    void classStoredAgainAfterPackDroppedItsEntriesLoadsAfterRestart() {
        Path dir = tmp.resolve("db");
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("n", c.create(Note.class, "first"));
            tm.commit();
            c.root().remove("n");
            tm.commit();
            db.pack(); // the only Note, and with it the entries naming Note, are unreachable now
            c.root().put("n", c.create(Note.class, "second"));
            tm.commit();
        }
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Note n = (Note) db.open(tm).root().get("n");
            assertNotNull(n);
            assertEquals("second", n.text());
            tm.abort();
        }
    }

    /**
     * An object that was unlinked, packed away, then linked again by a connection that still held it. Was: the
     * commit only rewrote the root (the object itself did not change), so the root named an oid with no record
     * and loading it failed after the commit was acknowledged. Now the commit is refused at vote with a
     * retryable ConflictException caused by DanglingReferenceException, nothing is written, and the store
     * stays whole after a restart.
     */
    @Test
    void objectRelinkedAfterPackRemovedItIsNotLost() {
        Path dir = tmp.resolve("db2");
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            Account a = c.create(Account.class, "a", 5L);
            c.root().put("a", a);
            c.root().put("keep", c.create(Account.class, "keep", 1L)); // keeps Account's registry entries live
            tm.commit();
            long oid = Persistence.oid(a).orElseThrow();
            c.root().remove("a");
            tm.commit();
            db.pack();
            c.root().put("again", a); // the application still holds the object
            ConflictException e = assertThrows(ConflictException.class, tm::commit);
            DanglingReferenceException cause = assertInstanceOf(DanglingReferenceException.class, e.getCause());
            assertEquals(oid, e.oid());
            assertEquals(oid, cause.oid());
            assertTrue(e.getMessage().startsWith("cannot commit a reference to oid " + oid + " (")
                    && e.getMessage().contains("which pack removed"), e.getMessage());
            tm.abort();
            assertNull(c.root().get("again"));
            c.root().put("copy", c.create(Account.class, "a", a.balance())); // the remedy: store it again
            tm.commit();
        }
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            assertNull(c.root().get("again"));
            assertEquals(5, ((Account) c.root().get("copy")).balance());
            assertEquals(1, ((Account) c.root().get("keep")).balance());
            tm.abort();
        }
    }
}
