package org.jodb.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.ForwardingStorage;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * The registry side of a cold start: a transaction commits the first object of a class into a map, and
 * another thread's commit to another key of that map votes right after the storage finished the first,
 * before its connection has published the new class entry. The two changes merge, as they do a moment
 * later. (Before, the merge could not decode the entry and the second thread got a ConflictException; the
 * cold-start rounds of {@link ColdStartTest} met this now and then.)
 */
class MergeRightAfterFinishTest {

    @Test
    void aMergeRightAfterAnotherCommitReadsTheClassEntriesItCreated() throws Exception {
        HookedStorage storage = new HookedStorage(new MemoryStorage());
        Database db = Database.open(storage);
        TransactionManager tmA = new TransactionManager(false);
        TransactionManager tmB = new TransactionManager(false);
        Connection a = db.open(tmA);
        Connection b = db.open(tmB);
        ExecutorService bThread = Executors.newSingleThreadExecutor(); // b's transaction is its thread's
        bThread.submit(() -> b.root().put("b", "from b")).get(); // b's snapshot: the empty root; no Account
        a.root().put("a", a.create(Account.class, "a", 1L)); // the database's first Account: new entries
        AtomicReference<Throwable> bFailed = new AtomicReference<>();
        storage.afterNextFinish = () -> {
            try {
                bThread.submit(tmB::commit).get();
            } catch (ExecutionException e) {
                bFailed.set(e.getCause());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        tmA.commit();
        assertNull(bFailed.get(), () -> "b's commit failed: " + bFailed.get());

        TransactionManager tm = new TransactionManager(false);
        Connection reader = db.open(tm);
        assertEquals("from b", reader.root().get("b"));
        assertEquals(1L, ((Account) reader.root().get("a")).balance());
        tm.abort();
        bThread.shutdown();
        db.close();
    }

    /** A storage that runs a hook once, on the committing thread, right after a transaction finished. */
    private static final class HookedStorage extends ForwardingStorage {
        volatile Runnable afterNextFinish;

        HookedStorage(MemoryStorage inner) {
            super(inner);
        }

        public StorageTransaction tpcBegin(TransactionMetadata m, ConflictResolver r) {
            StorageTransaction txn = inner.tpcBegin(m, r);
            return new StorageTransaction() {
                public void store(long oid, long serial, byte[] data) { txn.store(oid, serial, data); }
                public void checkCurrent(long oid, long serial) { txn.checkCurrent(oid, serial); }
                public long[] vote() { return txn.vote(); }
                public void abort() { txn.abort(); }

                public long finish() {
                    long tid = txn.finish();
                    Runnable hook = afterNextFinish;
                    afterNextFinish = null;
                    if (hook != null) {
                        hook.run();
                    }
                    return tid;
                }
            };
        }
    }
}
