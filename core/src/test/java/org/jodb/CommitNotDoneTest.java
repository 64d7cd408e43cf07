package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.jodb.spi.CommitNotDoneException;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.ForwardingStorage;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.transaction.PartialCommitException;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A storage whose finish fails after settling "not committed" ({@link CommitNotDoneException}), in a transaction
 * with a second database: the application is told the truth, no object keeps a state the storage does not
 * hold, and the connections commit again. Failing first (by sort key), nothing is committed and
 * {@link TransactionManager#run} retries; failing after the other database finished, that one's changes stay
 * committed and the commit fails with a {@link PartialCommitException}, never retried.
 */
class CommitNotDoneTest {

    /** A memory storage whose next {@code failures} finishes roll back and throw {@link CommitNotDoneException}. */
    static final class NotDoneAtFinish extends ForwardingStorage {
        private final String name;
        final AtomicInteger failures = new AtomicInteger();

        NotDoneAtFinish(String name) {
            super(new MemoryStorage());
            this.name = name;
        }

        @Override
        public StorageTransaction tpcBegin(TransactionMetadata metadata, ConflictResolver resolver) {
            StorageTransaction txn = inner.tpcBegin(metadata, resolver);
            return new StorageTransaction() {
                public void store(long oid, long serial, byte[] data) { txn.store(oid, serial, data); }
                public void checkCurrent(long oid, long serial) { txn.checkCurrent(oid, serial); }
                public long[] vote() { return txn.vote(); }
                public void abort() { txn.abort(); }

                public long finish() {
                    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        txn.abort(); // settled: it will never be committed
                        throw new CommitNotDoneException("the server went away before the commit; it rolled the"
                                + " transaction back");
                    }
                    return txn.finish();
                }
            };
        }

        public String name() { return name; }
    }

    private static long balanceSeenBy(Database db, String key) {
        TransactionManager tm = new TransactionManager(false);
        Connection reader = db.open(tm);
        try {
            return ((Account) reader.root().get(key)).balance();
        } finally {
            tm.abort();
            reader.close();
        }
    }

    /** {@code failingName} sorts before ("a…") or after ("z…") the other storage's name, "memory". */
    @ParameterizedTest
    @ValueSource(strings = {"a-failing", "z-failing"})
    void theApplicationIsToldTheTruthAndNothingHalfAppliedStays(String failingName) {
        boolean failsFirst = failingName.startsWith("a");
        NotDoneAtFinish failing = new NotDoneAtFinish(failingName);
        try (Database failingDb = Database.open(failing); Database otherDb = Database.open(new MemoryStorage())) {
            TransactionManager tm = new TransactionManager(false);
            Connection f = failingDb.open(tm);
            Connection o = otherDb.open(tm);
            Account a = f.create(Account.class, "a", 1L);
            Account b = o.create(Account.class, "b", 1L);
            f.root().put("a", a);
            o.root().put("b", b);
            tm.commit();
            long failingTid = failing.lastTid();
            long otherTid = otherDb.storage().lastTid();

            failing.failures.set(1);
            a.deposit(10);
            f.root().put("fresh", f.create(Account.class, "fresh", 0L));
            b.deposit(20);
            RuntimeException thrown = assertThrows(RuntimeException.class, tm::commit);
            CommitNotDoneException notDone;
            if (failsFirst) {
                notDone = assertInstanceOf(CommitNotDoneException.class, thrown, "nothing committed: told as it is");
                assertTrue(tm.get().isRetryable(thrown), "the work can be redone");
                assertEquals(otherTid, otherDb.storage().lastTid(), "the other database aborted");
            } else {
                PartialCommitException partial = assertInstanceOf(PartialCommitException.class, thrown);
                notDone = assertInstanceOf(CommitNotDoneException.class, partial.getCause());
                assertTrue(partial.getMessage().contains("memory") && partial.getMessage().contains(failingName),
                        partial.getMessage());
                assertFalse(tm.get().isRetryable(thrown), "redoing the work would repeat the other's commit");
                assertTrue(otherDb.storage().lastTid() > otherTid, "the other database had finished");
            }
            assertTrue(notDone.getMessage().contains("rolled the transaction back"));
            assertEquals(failingTid, failing.lastTid(), "nothing of it reached the storage");
            // before the abort already, the connection holds no state the storage does not
            assertEquals(1, a.balance());
            assertFalse(f.root().containsKey("fresh"));
            tm.abort();
            assertEquals(1, a.balance());
            assertFalse(f.root().containsKey("fresh"));
            assertEquals(failsFirst ? 1 : 21, b.balance());
            assertEquals(1, balanceSeenBy(failingDb, "a"));
            assertEquals(failsFirst ? 1 : 21, balanceSeenBy(otherDb, "b"));

            a.deposit(5); // the connections are ready for the next transaction
            b.deposit(5);
            tm.commit();
            assertEquals(6, balanceSeenBy(failingDb, "a"));
            assertEquals(failsFirst ? 6 : 26, balanceSeenBy(otherDb, "b"));

            failing.failures.set(1);
            AtomicInteger attempts = new AtomicInteger();
            Runnable work = () -> {
                attempts.incrementAndGet();
                ((Account) f.root().get("a")).deposit(100);
                ((Account) o.root().get("b")).deposit(100);
            };
            if (failsFirst) {
                tm.run(3, work);
                assertEquals(2, attempts.get(), "retried once");
                assertEquals(106, balanceSeenBy(failingDb, "a"));
                assertEquals(106, balanceSeenBy(otherDb, "b"));
            } else {
                assertThrows(PartialCommitException.class, () -> tm.run(3, work));
                assertEquals(1, attempts.get(), "not retried");
                assertEquals(6, balanceSeenBy(failingDb, "a"));
                assertEquals(126, balanceSeenBy(otherDb, "b"));
            }
        }
    }
}
