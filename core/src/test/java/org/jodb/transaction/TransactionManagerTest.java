package org.jodb.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TransactionManagerTest {
    private final List<String> journal = new ArrayList<>();

    // ---- one manager per thread

    @Test
    void threadLocalManagerIsPerThread() throws Exception {
        TransactionManager mine = TransactionManager.threadLocal();
        assertSame(mine, TransactionManager.threadLocal());
        assertSame(mine, Transactions.manager());
        AtomicReference<TransactionManager> other = new AtomicReference<>();
        AtomicReference<Transaction> otherTxn = new AtomicReference<>();
        Thread t = new Thread(() -> {
            other.set(TransactionManager.threadLocal());
            otherTxn.set(Transactions.get());
            Transactions.abort();
        });
        t.start();
        t.join();
        assertNotSame(mine, other.get());
        assertNotSame(otherTxn.get(), Transactions.get());
        assertFalse(mine.isExplicit());
        Transactions.abort();
    }

    // ---- implicit mode

    @Test
    void implicitGetCreatesLazilyAndKeepsReturningTheSame() {
        TransactionManager tm = new TransactionManager(false);
        assertFalse(tm.isActive());
        Transaction t = tm.get();
        assertTrue(tm.isActive());
        assertSame(t, tm.get());
        tm.commit();
        assertFalse(tm.isActive());
        assertNotSame(t, tm.get());
    }

    @Test
    void implicitBeginAbortsTheActiveTransaction() {
        TransactionManager tm = new TransactionManager();
        SampleDataManager dm = new SampleDataManager("a", tm);
        dm.put("x", 1);
        Transaction first = tm.get();
        Transaction second = tm.begin();
        assertNotSame(first, second);
        assertEquals(List.of("abort"), dm.calls);
        assertNull(dm.get("x"));
        assertSame(second, tm.get());
    }

    // ---- explicit mode
    // Every transaction is begun and ended by the caller, and none nests (Sage X3's model).

    @Test
    void explicitBeginInsideATransactionIsRefused() {
        TransactionManager tm = new TransactionManager(true);
        Transaction t = tm.begin();
        AlreadyInTransactionException e = assertThrows(AlreadyInTransactionException.class, tm::begin);
        assertTrue(e.getMessage().contains("already in progress"), e.getMessage());
        assertSame(t, tm.get());
    }

    @Test
    void explicitUseWithoutATransactionIsRefusedWithTheRemedy() {
        TransactionManager tm = new TransactionManager(true);
        assertThrows(NoTransactionException.class, tm::get);
        assertThrows(NoTransactionException.class, tm::commit);
        assertThrows(NoTransactionException.class, tm::abort);
        assertThrows(NoTransactionException.class, tm::savepoint);
        assertThrows(NoTransactionException.class, () -> tm.savepoint(true));
        assertThrows(NoTransactionException.class, tm::doom);
        NoTransactionException e = assertThrows(NoTransactionException.class, tm::isDoomed);
        assertTrue(e.getMessage().contains("begin()"), e.getMessage());
        assertFalse(tm.isActive());
        assertTrue(tm.current().isEmpty());
    }

    @Test
    void explicitCommitEndsTheTransactionSoTheNextNeedsBegin() {
        TransactionManager tm = new TransactionManager(true);
        SampleDataManager dm = new SampleDataManager("a", tm);
        tm.begin();
        dm.put("x", 1);
        assertTrue(tm.isActive());
        tm.commit();
        assertFalse(tm.isActive());
        assertEquals(1, dm.committed("x"));
        assertThrows(NoTransactionException.class, tm::commit);
        tm.begin();
        tm.abort();
        assertThrows(NoTransactionException.class, tm::abort);
    }

    @Test
    void isActiveLetsANestedRoutineBeginOnlyWhenNoTransactionIsOpen() {
        // X3: a routine that may be called inside a transaction begins one only when adxlog is 0.
        TransactionManager tm = new TransactionManager(true);
        SampleDataManager dm = new SampleDataManager("a", tm);
        Runnable routine = () -> {
            boolean mine = !tm.isActive();
            if (mine) {
                tm.begin();
            }
            dm.put("count", dm.get("count") == null ? 1 : (Integer) dm.get("count") + 1);
            if (mine) {
                tm.commit();
            }
        };
        routine.run();
        assertEquals(1, dm.committed("count"));
        tm.begin();
        routine.run();
        assertTrue(tm.isActive());
        assertEquals(1, dm.committed("count"));
        tm.commit();
        assertEquals(2, dm.committed("count"));
    }

    @Test
    void setExplicitSwitchesMode() {
        TransactionManager tm = new TransactionManager();
        tm.setExplicit(true);
        assertTrue(tm.isExplicit());
        assertThrows(NoTransactionException.class, tm::get);
    }

    // ---- commit and abort free the manager

    @Test
    void afterCommitOrAbortGetGivesAFreshTransaction() {
        TransactionManager tm = new TransactionManager();
        Transaction t1 = tm.get();
        t1.commit();
        Transaction t2 = tm.get();
        assertNotSame(t1, t2);
        t2.abort();
        assertNotSame(t2, tm.get());
    }

    @Test
    void freeingAForeignTransactionFails() {
        TransactionManager tm = new TransactionManager();
        RealTransaction stranger = new RealTransaction(tm);
        tm.get();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tm.free(stranger));
        assertTrue(e.getMessage().startsWith("foreign transaction"), e.getMessage());
    }

    @Test
    void currentDoesNotStartATransaction() {
        TransactionManager tm = new TransactionManager();
        assertTrue(tm.current().isEmpty());
        assertFalse(tm.isActive());
        Transaction t = tm.get();
        assertSame(t, tm.current().orElseThrow());
    }

    // ---- the manager as a scope (try-with-resources)

    @Test
    void tryWithResourcesCommitsWhenTheBlockCommits() {
        TransactionManager tm = new TransactionManager(true);
        SampleDataManager dm = new SampleDataManager("a", tm);
        try (Transaction tx = tm.begin()) {
            dm.put("x", 1);
            tx.commit();
        }
        assertEquals(1, dm.committed("x"));
        assertFalse(tm.isActive());
        assertFalse(dm.calls.contains("abort"));
    }

    @Test
    void tryWithResourcesAbortsOnException() {
        TransactionManager tm = new TransactionManager(true);
        SampleDataManager dm = new SampleDataManager("a", tm);
        assertThrows(IllegalArgumentException.class, () -> {
            try (Transaction tx = tm.begin()) {
                dm.put("x", 1);
                throw new IllegalArgumentException("boom");
            }
        });
        assertNull(dm.committed("x"));
        assertEquals(List.of("abort"), dm.calls);
        assertFalse(tm.isActive());
    }

    // ---- synchronizers

    @Test
    void newTransactionOnlyOnExplicitBegin() {
        TransactionManager tm = new TransactionManager();
        RecordingSynchronizer sync = new RecordingSynchronizer();
        tm.registerSynchronizer(sync);
        tm.get();
        assertEquals(List.of(), sync.calls);
        Transaction t = tm.begin();
        assertEquals(List.of("beforeCompletion", "afterCompletion", "newTransaction"), sync.calls);
        assertSame(t, sync.transactions.get(2));
    }

    @Test
    void registeringWhileActiveCallsNewTransaction() {
        TransactionManager tm = new TransactionManager();
        Transaction t = tm.get();
        RecordingSynchronizer sync = new RecordingSynchronizer();
        tm.registerSynchronizer(sync);
        assertEquals(List.of("newTransaction"), sync.calls);
        assertSame(t, sync.transactions.get(0));
        RecordingSynchronizer late = new RecordingSynchronizer();
        tm.commit();
        tm.registerSynchronizer(late);
        assertEquals(List.of(), late.calls);
    }

    @Test
    void completionCallbacksOnCommitAndAbort() {
        TransactionManager tm = new TransactionManager();
        RecordingSynchronizer sync = new RecordingSynchronizer(journal);
        tm.registerSynchronizer(sync);
        SampleDataManager dm = new SampleDataManager("a", tm, journal);
        dm.put("x", 1);
        tm.commit();
        assertEquals(List.of("sync.beforeCompletion", "a.tpcBegin", "a.commit", "a.tpcVote", "a.tpcFinish",
                "sync.afterCompletion"), journal);
        journal.clear();
        dm.put("x", 2);
        tm.abort();
        assertEquals(List.of("sync.beforeCompletion", "a.abort", "sync.afterCompletion"), journal);
    }

    @Test
    void afterCompletionOnFailedCommit() {
        TransactionManager tm = new TransactionManager();
        RecordingSynchronizer sync = new RecordingSynchronizer(journal);
        tm.registerSynchronizer(sync);
        SampleDataManager dm = new SampleDataManager("a", tm, journal).failOn("tpcVote", new IllegalStateException("no"));
        dm.put("x", 1);
        assertThrows(IllegalStateException.class, tm::commit);
        assertEquals(List.of("sync.beforeCompletion", "a.tpcBegin", "a.commit", "a.tpcVote", "a.abort",
                "a.tpcAbort", "sync.afterCompletion"), journal);
    }

    @Test
    void abortCallsAfterCompletionWhenTheManagerHasForgottenTheTransaction() {
        TransactionManager tm = new TransactionManager();
        AtomicReference<Boolean> activeDuringAfterCompletion = new AtomicReference<>();
        Synchronizer sync = new Synchronizer() {
            @Override
            public void afterCompletion(Transaction txn) {
                activeDuringAfterCompletion.set(tm.isActive());
            }
        };
        tm.registerSynchronizer(sync);
        tm.get();
        tm.abort();
        assertEquals(false, activeDuringAfterCompletion.get());
    }

    @Test
    void unregisteredSynchronizerIsNotCalled() {
        TransactionManager tm = new TransactionManager();
        RecordingSynchronizer sync = new RecordingSynchronizer();
        tm.registerSynchronizer(sync);
        tm.registerSynchronizer(sync);
        tm.begin();
        assertEquals(List.of("newTransaction"), sync.calls);
        tm.unregisterSynchronizer(sync);
        tm.commit();
        tm.begin();
        assertEquals(List.of("newTransaction"), sync.calls);
    }

    @Test
    void synchronizersAreHeldWeakly() throws InterruptedException {
        TransactionManager tm = new TransactionManager();
        RecordingSynchronizer sync = new RecordingSynchronizer();
        WeakReference<RecordingSynchronizer> ref = new WeakReference<>(sync);
        tm.registerSynchronizer(sync);
        assertEquals(1, tm.synchronizers().live().size());
        sync = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "the registration alone must not keep a synchronizer alive");
        assertEquals(0, tm.synchronizers().live().size());
    }

    @Test
    void beforeCompletionFailureStopsCommitBeforeAnyDataManager() {
        TransactionManager tm = new TransactionManager();
        SampleDataManager dm = new SampleDataManager("a", tm, journal);
        Synchronizer failing = new Synchronizer() {
            @Override
            public void beforeCompletion(Transaction txn) {
                throw new IllegalStateException("not now");
            }
        };
        tm.registerSynchronizer(failing);
        dm.put("x", 1);
        assertThrows(IllegalStateException.class, tm::commit);
        assertEquals(List.of(), journal);
        assertEquals(TransactionStatus.ACTIVE, tm.get().status());
        tm.unregisterSynchronizer(failing);
        tm.commit();
        assertEquals(1, dm.committed("x"));
    }

    @Test
    void afterCompletionFailureAfterASuccessfulCommitIsIgnored() {
        TransactionManager tm = new TransactionManager();
        SampleDataManager dm = new SampleDataManager("a", tm);
        Synchronizer failing = new Synchronizer() {
            @Override
            public void afterCompletion(Transaction txn) {
                throw new IllegalStateException("late");
            }
        };
        tm.registerSynchronizer(failing);
        dm.put("x", 1);
        Transaction t = tm.get();
        tm.commit();
        assertEquals(TransactionStatus.COMMITTED, t.status());
        assertEquals(1, dm.committed("x"));
        assertFalse(tm.isActive());
        tm.get();
        IllegalStateException e = assertThrows(IllegalStateException.class, tm::abort);
        assertEquals("late", e.getMessage(), "after an abort the failure is thrown once abort is over");
        assertFalse(tm.isActive());
    }

    @Test
    void newTransactionFailurePropagatesFromBegin() {
        TransactionManager tm = new TransactionManager(true);
        tm.registerSynchronizer(new Synchronizer() {
            @Override
            public void newTransaction(Transaction txn) {
                throw new IllegalStateException("cannot sync");
            }
        });
        assertThrows(IllegalStateException.class, tm::begin);
        assertTrue(tm.isActive(), "the transaction stays begun");
    }

    // ---- run with retries

    @Test
    void runCommitsAndReturnsTheResult() {
        TransactionManager tm = new TransactionManager(true);
        SampleDataManager dm = new SampleDataManager("a", tm);
        int result = tm.run(3, () -> {
            dm.put("x", 7);
            return 42;
        });
        assertEquals(42, result);
        assertEquals(7, dm.committed("x"));
        assertFalse(tm.isActive());
    }

    @Test
    void runRetriesTransientFailuresAbortingBetweenAttempts() {
        TransactionManager tm = new TransactionManager(true);
        SampleDataManager dm = new SampleDataManager("a", tm);
        AtomicInteger attempts = new AtomicInteger();
        tm.run(3, () -> {
            dm.put("x", attempts.incrementAndGet());
            if (attempts.get() < 3) {
                throw new TransientException("conflict " + attempts.get());
            }
        });
        assertEquals(3, attempts.get());
        assertEquals(3, dm.committed("x"));
        assertEquals(List.of("abort", "abort", "tpcBegin", "commit", "tpcVote", "tpcFinish"), dm.calls);
    }

    @Test
    void runRetriesACommitThatFailsTransiently() {
        TransactionManager tm = new TransactionManager();
        SampleDataManager dm = new SampleDataManager("a", tm).failOn("tpcVote", new TransientException("conflict"));
        AtomicInteger attempts = new AtomicInteger();
        tm.run(2, () -> {
            if (attempts.incrementAndGet() == 2) {
                dm.heal();
            }
            dm.put("x", attempts.get());
        });
        assertEquals(2, attempts.get());
        assertEquals(2, dm.committed("x"));
    }

    @Test
    void runGivesUpAfterTheLastAttempt() {
        TransactionManager tm = new TransactionManager();
        AtomicInteger attempts = new AtomicInteger();
        TransientException last = assertThrows(TransientException.class, () -> tm.run(3, () -> {
            throw new TransientException("conflict " + attempts.incrementAndGet());
        }));
        assertEquals("conflict 3", last.getMessage());
        assertFalse(tm.isActive());
    }

    @Test
    void runDoesNotRetryOtherFailures() {
        TransactionManager tm = new TransactionManager();
        SampleDataManager dm = new SampleDataManager("a", tm);
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> tm.run(3, () -> {
            attempts.incrementAndGet();
            dm.put("x", 1);
            throw new IllegalArgumentException("bug");
        }));
        assertEquals(1, attempts.get());
        assertEquals(List.of("abort"), dm.calls);
        assertFalse(tm.isActive());
    }

    @Test
    void runWrapsCheckedExceptions() {
        TransactionManager tm = new TransactionManager();
        TransactionException e = assertThrows(TransactionException.class, () -> tm.run(1, () -> {
            throw new IOException("disk");
        }));
        assertTrue(e.getCause() instanceof IOException);
        assertTrue(e.getMessage().contains("aborted"), e.getMessage());
    }

    @Test
    void runNeedsAPositiveNumberOfAttempts() {
        TransactionManager tm = new TransactionManager();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tm.run(0, () -> 1));
        assertEquals("attempts < 1: 0", e.getMessage());
    }

    @Test
    void runInExplicitModeRefusesANestedTransaction() {
        TransactionManager tm = new TransactionManager(true);
        tm.begin();
        assertThrows(AlreadyInTransactionException.class, () -> tm.run(3, () -> 1));
        assertTrue(tm.isActive());
    }

    @Test
    void runWithoutACountUsesTheManagersDefaultAttempts() {
        TransactionManager tm = new TransactionManager();
        assertEquals(10, tm.defaultAttempts(), "jodb's default (ZODB's is 3): retries pause, see Backoff");
        tm.setBackoff(Backoff.NONE);
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(TransientException.class, () -> tm.run(() -> {
            throw new TransientException("conflict " + attempts.incrementAndGet());
        }));
        assertEquals(10, attempts.get());
        tm.setDefaultAttempts(5);
        attempts.set(0);
        String result = tm.run(() -> {
            if (attempts.incrementAndGet() < 5) {
                throw new TransientException("conflict");
            }
            return "fifth";
        });
        assertEquals("fifth", result);
        assertThrows(IllegalArgumentException.class, () -> tm.setDefaultAttempts(0));
    }

    /** Work of a named class, noted by its name as ZODB notes a function's name. */
    static final class MonthlyInterest implements Runnable {
        String description;

        @Override
        public void run() {
            description = Transactions.get().description();
        }
    }

    @Test
    void runNotesTheNameOfANamedWorkClassButNotOfALambda() {
        MonthlyInterest work = new MonthlyInterest();
        Transactions.run(work);
        assertEquals("MonthlyInterest", work.description);
        String lambda = Transactions.run(() -> Transactions.get().description());
        assertEquals("", lambda);
    }

    // ---- attempts

    @Test
    void attemptsStopAtTheFirstCommit() {
        TransactionManager tm = new TransactionManager(true);
        SampleDataManager dm = new SampleDataManager("a", tm);
        int loops = 0;
        for (Attempt attempt : tm.attempts(3)) {
            try (attempt) {
                loops++;
                assertSame(tm.get(), attempt.transaction(), "the attempt's transaction was begun");
                dm.put("x", 1);
                assertTrue(attempt.commit());
            }
        }
        assertEquals(1, loops);
        assertEquals(1, dm.committed("x"));
        assertFalse(tm.isActive());
    }

    @Test
    void aRetryableCommitFailureIsDroppedAndTheLoopGoesOn() {
        TransactionManager tm = new TransactionManager(true);
        SampleDataManager dm = new SampleDataManager("a", tm).failOn("tpcVote", new TransientException("conflict"));
        List<Boolean> commits = new ArrayList<>();
        int loops = 0;
        for (Attempt attempt : tm.attempts(3)) {
            try (attempt) {
                if (++loops == 2) {
                    dm.heal();
                }
                dm.put("x", loops);
                commits.add(attempt.commit());
            }
        }
        assertEquals(List.of(false, true), commits);
        assertEquals(2, dm.committed("x"));
        assertEquals(List.of("tpcBegin", "commit", "tpcVote", "abort", "tpcAbort", "abort",
                "tpcBegin", "commit", "tpcVote", "tpcFinish"), dm.calls);
        assertFalse(tm.isActive(), "the failed attempt was aborted before the next began");
    }

    @Test
    void aRetryableFailureOfTheWorkIsRetriedThroughRetryOrThrow() {
        TransactionManager tm = new TransactionManager();
        SampleDataManager dm = new SampleDataManager("a", tm);
        int loops = 0;
        for (Attempt attempt : tm.attempts(3)) {
            try (attempt) {
                dm.put("x", ++loops);
                if (loops < 3) {
                    throw new TransientException("conflict " + loops);
                }
                attempt.commit();
            } catch (RuntimeException e) {
                attempt.retryOrThrow(e);
            }
        }
        assertEquals(3, loops);
        assertEquals(3, dm.committed("x"));
        assertEquals(List.of("abort", "abort", "tpcBegin", "commit", "tpcVote", "tpcFinish"), dm.calls);
    }

    @Test
    void theLastAttemptThrowsItsRetryableFailure() {
        TransactionManager tm = new TransactionManager(true);
        SampleDataManager dm = new SampleDataManager("a", tm).failOn("tpcVote", new TransientException("busy"));
        List<Boolean> last = new ArrayList<>();
        TransientException e = assertThrows(TransientException.class, () -> {
            for (Attempt attempt : tm.attempts(2)) {
                try (attempt) {
                    last.add(attempt.isLast());
                    dm.put("x", 1);
                    attempt.commit();
                }
            }
        });
        assertEquals("busy", e.getMessage());
        assertEquals(List.of(false, true), last);
        assertFalse(tm.isActive(), "the failed last attempt was aborted");
    }

    @Test
    void aFailureThatIsNotRetryableEndsTheLoopAtOnce() {
        TransactionManager tm = new TransactionManager();
        SampleDataManager dm = new SampleDataManager("a", tm);
        AtomicInteger loops = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> {
            for (Attempt attempt : tm.attempts(3)) {
                try (attempt) {
                    loops.incrementAndGet();
                    dm.put("x", 1);
                    throw new IllegalStateException("bug");
                } catch (RuntimeException e) {
                    attempt.retryOrThrow(e);
                }
            }
        });
        assertEquals(1, loops.get());
        assertEquals(List.of("abort"), dm.calls);
        assertFalse(tm.isActive());
    }

    @Test
    void dataManagersJudgeRetryabilityEvenAfterCloseAborted() {
        TransactionManager tm = new TransactionManager();
        RuntimeException serialization = new RuntimeException("could not serialize access");
        SampleDataManager jdbc = new SampleDataManager("jdbc", tm) {
            @Override
            public boolean shouldRetry(Throwable error) {
                return error == serialization;
            }
        };
        int loops = 0;
        for (Attempt attempt : tm.attempts(3)) {
            try (attempt) {
                jdbc.put("row", ++loops);
                if (loops == 1) {
                    throw serialization;
                }
                attempt.commit();
            } catch (RuntimeException e) {
                assertFalse(tm.isActive(), "close() aborted before the catch");
                attempt.retryOrThrow(e);
            }
        }
        assertEquals(2, loops);
        assertEquals(2, jdbc.committed("row"));
    }

    @Test
    void aBlockThatNeitherCommitsNorFailsIsAbortedAndEndsTheLoop() {
        TransactionManager tm = new TransactionManager();
        SampleDataManager dm = new SampleDataManager("a", tm);
        int loops = 0;
        for (Attempt attempt : tm.attempts(3)) {
            try (attempt) {
                loops++;
                dm.put("x", 1);
            }
        }
        assertEquals(1, loops);
        assertEquals(List.of("abort"), dm.calls);
        assertNull(dm.committed("x"));
    }

    @Test
    void attemptsCountIsValidatedAndDefaultsToTheManagers() {
        TransactionManager tm = new TransactionManager();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tm.attempts(0));
        assertEquals("attempts < 1: 0", e.getMessage());
        tm.setDefaultAttempts(4);
        int loops = 0;
        for (Attempt attempt : tm.attempts()) {
            try (attempt) {
                loops++;
                if (!attempt.isLast()) {
                    throw new TransientException("conflict");
                }
                attempt.commit();
            } catch (TransientException t) {
                attempt.retryOrThrow(t);
            }
        }
        assertEquals(4, loops);
    }

    @Test
    void attemptsInExplicitModeRefuseANestedTransaction() {
        TransactionManager tm = new TransactionManager(true);
        Transaction outer = tm.begin();
        assertThrows(AlreadyInTransactionException.class, () -> tm.attempts(3).iterator().next());
        assertSame(outer, tm.get());
    }

    @Test
    void facadeAttemptsUseTheThreadsManager() {
        try {
            int loops = 0;
            for (Attempt attempt : Transactions.attempts(2)) {
                try (attempt) {
                    loops++;
                    assertSame(Transactions.get(), attempt.transaction());
                    attempt.commit();
                }
            }
            assertEquals(1, loops);
        } finally {
            Transactions.abort();
        }
    }

    // ---- retryable errors

    @Test
    void retryableIfTransientOrADataManagerSaysSo() {
        TransactionManager tm = new TransactionManager();
        Transaction t = tm.get();
        assertTrue(t.isRetryable(new TransientException("conflict")));
        assertTrue(t.isRetryable(new TransientException("conflict") { }));
        RuntimeException serialization = new RuntimeException("could not serialize access");
        assertFalse(t.isRetryable(serialization));
        t.join(new SampleDataManager("jdbc", tm) {
            @Override
            public boolean shouldRetry(Throwable error) {
                return error == serialization;
            }
        });
        assertTrue(t.isRetryable(serialization));
        assertFalse(t.isRetryable(new RuntimeException("other")));
    }

    @Test
    void runRetriesWhatADataManagerCallsRetryable() {
        TransactionManager tm = new TransactionManager();
        AtomicInteger attempts = new AtomicInteger();
        RuntimeException serialization = new RuntimeException("could not serialize access");
        SampleDataManager jdbc = new SampleDataManager("jdbc", tm) {
            @Override
            public boolean shouldRetry(Throwable error) {
                return error == serialization;
            }
        };
        String result = tm.run(2, () -> {
            jdbc.put("row", attempts.incrementAndGet());
            if (attempts.get() == 1) {
                throw serialization;
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(2, jdbc.committed("row"));
    }
}
