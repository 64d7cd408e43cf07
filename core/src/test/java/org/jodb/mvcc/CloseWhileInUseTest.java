package org.jodb.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.spi.ForwardingStorage;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/** {@code Database.close} while another thread is in the middle of a transaction of one of its connections. */
class CloseWhileInUseTest {

    /**
     * A MemoryStorage that outlives the database (so that what was committed can be read afterwards) and
     * runs {@code beforeClose} when the database closes it: after the database let go of its connections.
     */
    private static final class Outliving extends ForwardingStorage {
        Runnable beforeClose = () -> { };

        Outliving(Storage inner) {
            super(inner);
        }

        public void close() { beforeClose.run(); }
    }

    /**
     * A thread took a savepoint, changed more, and commits while another thread closes the database, after
     * the database let go of its connections but before the storage is closed. The commit is refused and
     * nothing of it is written: before, close threw away the connection's savepoint data under its feet, and
     * the commit succeeded with the changes made after the savepoint only.
     */
    @Test
    void aCommitRacingCloseIsAllOrNothing() throws Exception {
        Outliving storage = new Outliving(new MemoryStorage());
        Database db = Database.open(storage);
        TransactionManager setup = new TransactionManager();
        Connection c = db.open(setup);
        c.root().put("a", c.create(Account.class, "a", 0L));
        c.root().put("b", c.create(Account.class, "b", 0L));
        setup.commit();
        c.close();

        CountDownLatch changed = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        CountDownLatch committed = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<RuntimeException> refused = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                TransactionManager tm = new TransactionManager();
                Connection w = db.open(tm);
                ((Account) w.root().get("a")).deposit(1);
                tm.savepoint();
                ((Account) w.root().get("b")).deposit(1);
                changed.countDown();
                closing.await(10, TimeUnit.SECONDS);
                try {
                    tm.commit();
                } catch (RuntimeException e) {
                    refused.set(e);
                    tm.abort();
                }
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                committed.countDown();
            }
        });
        worker.start();
        assertTrue(changed.await(10, TimeUnit.SECONDS));
        storage.beforeClose = () -> {
            closing.countDown();
            try {
                committed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        db.close();
        worker.join(10_000);
        assertEquals(null, failure.get());
        assertTrue(refused.get() instanceof IllegalStateException
                && refused.get().getMessage().contains("database was closed"), "refused: " + refused.get());

        try (Database again = Database.open(new Outliving(storage.inner()))) {
            Connection r = again.open(new TransactionManager());
            long a = ((Account) r.root().get("a")).balance();
            long b = ((Account) r.root().get("b")).balance();
            assertEquals(a, b, "the worker's changes before and after its savepoint commit together or not at all");
        }
    }

    /** After close, a connection that was in use says so on its next call, and its transaction can be aborted. */
    @Test
    void aConnectionInUseFailsClearlyAfterClose() {
        Database db = Database.inMemory();
        TransactionManager tm = new TransactionManager();
        Connection c = db.open(tm);
        c.root().put("a", c.create(Account.class, "a", 1L));
        tm.commit();
        Account a = (Account) c.root().get("a");
        a.deposit(1);
        db.close();
        assertThrows(IllegalStateException.class, tm::commit);
        tm.abort();
        IllegalStateException e = assertThrows(IllegalStateException.class, a::balance);
        assertTrue(e.getMessage().contains("database"), e.getMessage());
    }
}
