package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.jodb.spi.ForwardingStorage;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    /** A class that cannot be proxied. */
    public static final class Frozen {
    }

    /** A renamed class: records stored as {@code Account} load as this. */
    public static class RenamedAccount {
        private String owner;
        private long balance;

        public long balance() {
            return balance;
        }
    }

    /** A MemoryStorage that survives Database.close(), so that it can be opened again (a restart). */
    private static final class KeepOpen extends ForwardingStorage {
        KeepOpen() {
            super(new MemoryStorage());
        }

        public void close() { }
    }

    /** A MemoryStorage whose next {@code transactionsAfter} fails once, as a read of a failing disk would. */
    private static final class FailingPoll extends ForwardingStorage {
        boolean failNextPoll;

        FailingPoll() {
            super(new MemoryStorage());
        }

        public List<org.jodb.spi.CommittedTransaction> transactionsAfter(long tid) {
            if (failNextPoll) {
                failNextPoll = false;
                throw new org.jodb.spi.StorageException("read failed (test)");
            }
            return inner.transactionsAfter(tid);
        }
    }

    /**
     * An open that fails after the connection was counted as open (a pooled connection catching up with
     * the storage's commits, whose read fails) leaves no connection behind: pack is not held back by the
     * failed one's old snapshot, and a later open works.
     */
    @Test
    void anOpenThatFailsDoesNotHoldPackBack() {
        FailingPoll storage = new FailingPoll();
        try (Database db = Database.open(storage)) {
            TransactionManager w = new TransactionManager();
            Connection writer = db.open(w);
            writer.root().put("gone", writer.create(Account.class, "gone", 1L));
            w.commit();
            long oid = org.jodb.internal.object.Session.oidOf(writer.root().get("gone")).getAsLong();
            TransactionManager r = new TransactionManager();
            Connection reader = db.open(r);
            assertNotNull(reader.root().get("gone"));
            r.abort();
            reader.close(); // to the pool, with a snapshot that reaches "gone"
            writer.root().remove("gone");
            w.commit();

            storage.failNextPoll = true;
            assertThrows(org.jodb.spi.StorageException.class, () -> db.open(new TransactionManager()));
            db.pack();
            assertEquals(null, storage.load(oid), "pack removes what only the failed open's snapshot reached");
            TransactionManager again = new TransactionManager();
            assertEquals(Collections.emptyList(), List.copyOf(db.open(again).root().keySet()));
            again.abort();
        }
    }

    @Test
    void recordsAndRegistryEntriesSurviveARestart() {
        Storage storage = new KeepOpen();
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            Account a = conn.create(Account.class, "ann", 3L);
            a.deposit(4);
            conn.root().put("a", a);
            conn.root().put("list", new PersistentList<>(List.of("x", "y")));
            tm.commit();
        }
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            Account a = (Account) conn.root().get("a");
            assertEquals(7, a.balance());
            assertEquals(List.of("deposit 4"), a.history());
            assertEquals(List.of("x", "y"), conn.root().get("list"));
            tm.abort();
        }
    }

    /** An enum as first stored, and after a release reordered its constants and renamed it. */
    public enum Status { OPEN, HELD, CLOSED }

    public enum StatusReordered { CLOSED, OPEN, HELD }

    @Test
    void enumConstantsKeepTheirMeaningWhenTheEnumIsReordered() {
        Storage storage = new KeepOpen();
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            conn.root().put("status", Status.HELD);
            conn.root().put("all", List.of(Status.values()));
            tm.commit();
        }
        Database.Options renamed = new Database.Options().renameClass(Status.class.getName(), StatusReordered.class);
        try (Database db = Database.open(storage, renamed)) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            assertSame(StatusReordered.HELD, conn.root().get("status"));
            assertEquals(List.of(StatusReordered.OPEN, StatusReordered.HELD, StatusReordered.CLOSED),
                    conn.root().get("all"));
            tm.abort();
        }
    }

    @Test
    void cacheSizeBytesOptionBoundsEveryConnectionsCache() {
        assertThrows(IllegalArgumentException.class, () -> new Database.Options().cacheSizeBytes(-1));
        try (Database db = Database.inMemory(new Database.Options().cacheSizeBytes(1))) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            conn.root().put("a", conn.create(Account.class, "a", 1L));
            tm.commit();
            assertEquals(0, conn.cacheLoadedCount(), "every clean object is over a 1-byte target");
            assertEquals(0, conn.cacheLoadedBytes());
            assertEquals(1, ((Account) conn.root().get("a")).balance());
            tm.abort();
        }
    }

    @Test
    void renamedClassesLoadUnderTheirNewName() {
        Storage storage = new KeepOpen();
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            conn.root().put("a", conn.create(Account.class, "ann", 9L));
            tm.commit();
        }
        try (Database db = Database.open(storage, new Database.Options()
                .renameClass(Account.class.getName(), RenamedAccount.class))) {
            TransactionManager tm = new TransactionManager(false);
            Object a = db.open(tm).root().get("a");
            assertTrue(a instanceof RenamedAccount, a.getClass().getName());
            assertEquals(9, ((RenamedAccount) a).balance());
            tm.abort();
        }
    }

    @Test
    void unsupportedClassIsRefusedAtCreateAndTheConnectionStaysUsable() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            UnsupportedClassException e = assertThrows(UnsupportedClassException.class,
                    () -> conn.create(Frozen.class));
            assertTrue(e.getMessage().contains(Frozen.class.getName()) && e.getMessage().contains("final"));
            conn.root().put("ok", 1);
            tm.commit();
            assertEquals(1, conn.root().get("ok"));
        }
    }

    @Test
    void valueThatCannotBeStoredFailsTheCommitNamingTheFieldAndAbortRecovers() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            Holder h = conn.create(Holder.class);
            conn.root().put("h", h);
            h.set(new java.util.concurrent.locks.ReentrantLock());
            UnsupportedClassException e = assertThrows(UnsupportedClassException.class, tm::commit);
            assertTrue(e.getMessage().contains("Holder.value"), e.getMessage());
            tm.abort();
            h.set(Collections.unmodifiableList(new java.util.ArrayList<>(List.of(1, 2))));
            conn.root().put("h", h);
            tm.commit();
            Connection other = db.open(new TransactionManager(false));
            assertEquals(List.of(1, 2), ((Holder) other.root().get("h")).get());
        }
    }

    @Test
    void aConnectionInAFieldIsRefusedNamingTheField() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            Holder h = conn.create(Holder.class);
            h.set(conn);
            conn.root().put("h", h);
            UnsupportedClassException e = assertThrows(UnsupportedClassException.class, tm::commit);
            assertTrue(e.getMessage().contains("Holder.value") && e.getMessage().contains("org.jodb.Connection"),
                    e.getMessage());
            tm.abort();
        }
    }

    /** Holds any value. */
    public static class Holder {
        private Object value;

        public void set(Object value) {
            this.value = value;
        }

        public Object get() {
            return value;
        }
    }

    @Test
    void objectOfAnotherDatabaseIsRefused() {
        try (Database one = Database.inMemory(); Database two = Database.inMemory()) {
            TransactionManager tm1 = new TransactionManager(false);
            TransactionManager tm2 = new TransactionManager(false);
            Connection c1 = one.open(tm1);
            Connection c2 = two.open(tm2);
            Account a = c1.create(Account.class, "a", 1L);
            c1.root().put("a", a);
            tm1.commit();
            c2.root().put("stolen", a);
            IllegalStateException e = assertThrows(IllegalStateException.class, tm2::commit);
            assertTrue(e.getMessage().contains("another"), e.getMessage());
            tm2.abort();
            c2.root().put("fine", 1);
            tm2.commit();
        }
    }

    @Test
    void closedDatabaseAndConnectionRefuseUse() {
        Database db = Database.inMemory();
        TransactionManager tm = new TransactionManager(false);
        Connection conn = db.open(tm);
        PersistentMap<String, Object> root = conn.root();
        db.close();
        assertTrue(db.isClosed());
        assertThrows(IllegalStateException.class, db::open);
        assertThrows(IllegalStateException.class, conn::root);
        assertThrows(IllegalStateException.class, () -> root.put("x", 1));
    }

    @Test
    void closedConnectionsArePooledWithTheirCache() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection first = db.open(tm);
            PersistentMap<String, Object> root = first.root();
            first.close();
            Connection second = db.open(tm);
            assertSame(root, second.root(), "the pooled connection's cache was kept");
            assertFalse(second.isClosed());
        }
    }

    @Test
    void openPathWithoutStorageModuleNamesTheArtifact() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Database.open(Path.of("nowhere")));
        assertTrue(e.getMessage().contains("jodb-storage"), e.getMessage());
    }

    @Test
    void packKeepsWhatTheRootReachesWithItsRegistryEntriesAndDropsTheRest() {
        Storage storage = new KeepOpen();
        long goneOid;
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            Account gone = conn.create(Account.class, "gone", 1L);
            conn.root().put("kept", conn.create(Account.class, "kept", 2L));
            conn.root().put("gone", gone);
            tm.commit();
            goneOid = Persistence.oid(gone).getAsLong();
            conn.root().remove("gone");
            tm.commit();
            db.pack();
            assertEquals(null, storage.load(goneOid));
        }
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            assertEquals(2, ((Account) db.open(tm).root().get("kept")).balance(), "entries survived pack");
            tm.abort();
        }
    }

    @Test
    void persistenceQuestions() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            assertFalse(Persistence.isPersistent("text"));
            assertTrue(Persistence.isPersistent(new PersistentMap<>()));
            assertTrue(Persistence.oid("text").isEmpty());
            assertThrows(IllegalArgumentException.class, () -> Persistence.markChanged("text"));
            assertNotNull(conn.root());
        }
    }
}
