package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.DataManagerSavepoint;
import org.jodb.transaction.DataManager;
import org.jodb.transaction.PartialCommitException;
import org.jodb.transaction.Transaction;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A jodb connection and another data manager in one two-phase commit, the other failing in each phase,
 * ordered before or after the connection: the connection's changes are committed exactly when the
 * connection finished, the objects then show what is stored, the storage's commit lock is free (another
 * thread commits), and the same manager commits again.
 */
class ForeignDataManagerFailureTest {

    /** A data manager that fails in one phase; its sort key orders it before or after jodb's. */
    static final class Failing implements DataManager {
        private final String phase;
        private final String sortKey;

        Failing(String phase, String sortKey) {
            this.phase = phase;
            this.sortKey = sortKey;
        }

        private void maybeFail(String now) {
            if (now.equals(phase)) {
                throw new IllegalStateException("fails in " + now);
            }
        }

        @Override
        public void abort(Transaction txn) {
        }

        @Override
        public void tpcBegin(Transaction txn) {
            maybeFail("tpcBegin");
        }

        @Override
        public void commit(Transaction txn) {
            maybeFail("commit");
        }

        @Override
        public void tpcVote(Transaction txn) {
            maybeFail("tpcVote");
        }

        @Override
        public void tpcFinish(Transaction txn) {
            maybeFail("tpcFinish");
        }

        @Override
        public void tpcAbort(Transaction txn) {
        }

        @Override
        public String sortKey() {
            return sortKey;
        }

        @Override
        public DataManagerSavepoint savepoint() {
            return () -> { };
        }
    }

    @ParameterizedTest
    @CsvSource({"tpcBegin,a", "tpcBegin,z", "commit,a", "commit,z", "tpcVote,a", "tpcVote,z", "tpcFinish,a",
            "tpcFinish,z"})
    void theConnectionCommitsExactlyWhenItFinishedAndStaysUsable(String phase, String sortKey) throws Exception {
        MemoryStorage storage = new MemoryStorage();
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            Account a = c.create(Account.class, "a", 1L);
            Account fresh = c.create(Account.class, "fresh", 0L);
            c.root().put("a", a);
            tm.commit();

            a.deposit(10);
            c.root().put("fresh", fresh);
            tm.get().join(new Failing(phase, sortKey));
            // "z" sorts after "jodb:": the connection finished before the other one failed in tpcFinish
            boolean committed = phase.equals("tpcFinish") && sortKey.equals("z");
            if (committed) {
                // told that the commit is partial, with the other's failure as the cause
                PartialCommitException partial = assertThrows(PartialCommitException.class, tm::commit);
                assertInstanceOf(IllegalStateException.class, partial.getCause());
            } else {
                assertThrows(IllegalStateException.class, tm::commit);
            }
            tm.abort();
            long expected = committed ? 11 : 1;
            assertEquals(expected, a.balance(), phase + " " + sortKey);
            assertEquals(committed, c.root().containsKey("fresh"));

            TransactionManager other = new TransactionManager(false);
            Connection reader = db.open(other);
            assertEquals(expected, ((Account) reader.root().get("a")).balance());
            // the commit lock is free: a commit on another thread does not wait
            CompletableFuture.runAsync(() -> {
                TransactionManager t = new TransactionManager(false);
                Connection w = db.open(t);
                w.root().put("other", "x");
                t.commit();
                w.close();
            }).get(10, TimeUnit.SECONDS);

            a.deposit(100);
            tm.commit();
            other.begin();
            assertEquals(expected + 100, ((Account) reader.root().get("a")).balance());
        }
    }

    @Test
    void aConflictInVoteAfterTheOtherDataManagerVotedAbortsBoth() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("a", c.create(Account.class, "a", 1L));
            tm.commit();
            Account a = (Account) c.root().get("a");
            a.deposit(1);
            TransactionManager tm2 = new TransactionManager(false);
            ((Account) db.open(tm2).root().get("a")).deposit(5);
            tm2.commit();
            tm.get().join(new Failing("none", "a"));
            assertThrows(org.jodb.ConflictException.class, tm::commit);
            tm.abort();
            assertEquals(6, a.balance());
        }
    }
}
