package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.ForwardingStorage;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.StorageUnavailableException;
import org.jodb.spi.TransactionMetadata;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * A storage that cannot be reached for a vote ({@link StorageUnavailableException}, e.g. its server restarting):
 * nothing is committed, and {@link TransactionManager#run} retries the work in a new transaction.
 */
class StorageUnavailableTest {

    /** A memory storage whose next {@code failures} votes throw {@link StorageUnavailableException}, doing nothing. */
    static final class UnreachableAtVote extends ForwardingStorage {
        final AtomicInteger failures = new AtomicInteger();

        UnreachableAtVote() {
            super(new MemoryStorage());
        }

        @Override
        public StorageTransaction tpcBegin(TransactionMetadata metadata, ConflictResolver resolver) {
            StorageTransaction txn = inner.tpcBegin(metadata, resolver);
            return new StorageTransaction() {
                public void store(long oid, long serial, byte[] data) { txn.store(oid, serial, data); }
                public void checkCurrent(long oid, long serial) { txn.checkCurrent(oid, serial); }
                public long finish() { return txn.finish(); }
                public void abort() { txn.abort(); }

                public long[] vote() {
                    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new StorageUnavailableException("the server is restarting (test)");
                    }
                    return txn.vote();
                }
            };
        }

        public String name() { return "unreachable-at-vote"; }
    }

    @Test
    void runRetriesWorkWhoseVoteCouldNotReachTheStorage() {
        UnreachableAtVote storage = new UnreachableAtVote();
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            storage.failures.set(2);
            AtomicInteger attempts = new AtomicInteger();

            tm.run(5, () -> {
                attempts.incrementAndGet();
                c.root().merge("count", 1, (a, b) -> (Integer) a + (Integer) b);
            });

            assertEquals(3, attempts.get(), "two votes failed, the third attempt committed");
            tm.begin();
            assertEquals(1, c.root().get("count"), "only the committed attempt's change is there");
            tm.abort();
            assertEquals(2, db.statistics().retries());
        }
    }

    @Test
    void withoutRunTheFailureReachesTheCallerAndNothingIsCommitted() {
        UnreachableAtVote storage = new UnreachableAtVote();
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            long before = storage.lastTid();
            storage.failures.set(1);
            tm.begin();
            c.root().put("k", "v");
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class, tm::commit);
            assertEquals("the server is restarting (test)", e.getMessage());
            tm.abort();
            assertEquals(before, storage.lastTid());
            tm.begin();
            assertEquals(null, c.root().get("k"));
            tm.abort();
        }
    }
}
