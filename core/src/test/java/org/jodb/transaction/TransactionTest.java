package org.jodb.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TransactionTest {
    private final List<String> journal = new ArrayList<>();
    private final TransactionManager tm = new TransactionManager();

    // ---- states

    @Test
    void statusesThroughALifecycle() {
        Transaction t = tm.get();
        assertEquals(TransactionStatus.ACTIVE, t.status());
        AtomicReference<TransactionStatus> during = new AtomicReference<>();
        t.join(new SampleDataManager("a", tm) {
            @Override
            public void commit(Transaction txn) {
                during.set(txn.status());
            }
        });
        t.commit();
        assertEquals(TransactionStatus.COMMITTING, during.get());
        assertEquals(TransactionStatus.COMMITTED, t.status());
        Transaction d = tm.get();
        d.doom();
        assertEquals(TransactionStatus.DOOMED, d.status());
        d.abort();
        assertEquals(TransactionStatus.DOOMED, d.status(), "abort leaves the status as it was");
    }

    // ---- join

    @Test
    void joinAllowedWhenActiveOrDoomed() {
        SampleDataManager a = new SampleDataManager("a", tm);
        SampleDataManager b = new SampleDataManager("b", tm);
        Transaction t = tm.get();
        t.join(a);
        t.doom();
        t.join(b);
        assertEquals(List.of(a, b), ((RealTransaction) t).resources());
    }

    @Test
    void joinIsNotDeduplicated() {
        SampleDataManager a = new SampleDataManager("a", tm);
        Transaction t = tm.get();
        t.join(a);
        t.join(a);
        t.commit();
        assertEquals(List.of("tpcBegin", "tpcBegin", "commit", "commit", "tpcVote", "tpcVote", "tpcFinish",
                "tpcFinish"), a.calls);
    }

    @Test
    void leaveTakesEveryJoinOfADataManagerOutAndItCanJoinAgain() {
        SampleDataManager a = new SampleDataManager("a", tm);
        SampleDataManager b = new SampleDataManager("b", tm);
        Transaction t = tm.get();
        t.join(a);
        t.join(b);
        t.join(a);
        t.leave(a);
        assertEquals(List.of(b), ((RealTransaction) t).resources());
        t.leave(a); // not joined: nothing happens
        t.join(a);
        t.commit();
        assertEquals(List.of("tpcBegin", "commit", "tpcVote", "tpcFinish"), a.calls);
    }

    @Test
    void joinRefusedWhenFailedCommittingOrEnded() {
        SampleDataManager bad = new SampleDataManager("bad", tm).failOn("commit", new IllegalStateException("x"));
        bad.put("k", 1);
        Transaction t = tm.get();
        assertThrows(IllegalStateException.class, t::commit);
        SampleDataManager other = new SampleDataManager("other", tm);
        TransactionFailedException failed = assertThrows(TransactionFailedException.class, () -> t.join(other));
        assertEquals("x", failed.getCause().getMessage());
        t.abort();
        IllegalStateException ended = assertThrows(IllegalStateException.class, () -> t.join(other));
        assertTrue(ended.getMessage().contains("already been aborted"), ended.getMessage());

        Transaction t2 = tm.get();
        AtomicReference<Throwable> joinDuringCommit = new AtomicReference<>();
        t2.join(new SampleDataManager("c", tm) {
            @Override
            public void tpcVote(Transaction txn) {
                joinDuringCommit.set(assertThrows(IllegalStateException.class, () -> txn.join(other)));
            }
        });
        t2.commit();
        assertTrue(joinDuringCommit.get().getMessage().contains("COMMITTING"), joinDuringCommit.get().getMessage());
        assertThrows(IllegalStateException.class, () -> t2.join(other));
    }

    // ---- two-phase commit

    @Test
    void everyPhaseAcrossAllDataManagersInSortKeyOrder() {
        SampleDataManager c = new SampleDataManager("c", tm, journal);
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        SampleDataManager b = new SampleDataManager("b", tm, journal);
        c.put("x", 1);
        a.put("x", 1);
        b.put("x", 1);
        tm.commit();
        assertEquals(List.of("a.tpcBegin", "b.tpcBegin", "c.tpcBegin", "a.commit", "b.commit", "c.commit",
                "a.tpcVote", "b.tpcVote", "c.tpcVote", "a.tpcFinish", "b.tpcFinish", "c.tpcFinish"), journal);
        assertEquals(1, a.committed("x"));
        assertEquals(1, c.committed("x"));
    }

    // ---- failure in two-phase commit

    @Test
    void failureAbortsUnvotedAndTpcAbortsAll() {
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        SampleDataManager b = new SampleDataManager("b", tm, journal).failOn("tpcVote", new IllegalStateException("vote"));
        SampleDataManager c = new SampleDataManager("c", tm, journal);
        a.put("x", 1);
        b.put("x", 1);
        c.put("x", 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, tm::commit);
        assertEquals("vote", e.getMessage());
        assertEquals(List.of("a.tpcBegin", "b.tpcBegin", "c.tpcBegin", "a.commit", "b.commit", "c.commit",
                "a.tpcVote", "b.tpcVote", "b.abort", "c.abort", "a.tpcAbort", "b.tpcAbort", "c.tpcAbort"), journal);
        assertNull(a.committed("x"));
    }

    @Test
    void failuresDuringCleanupAreSwallowedAndAttached() {
        SampleDataManager a = new SampleDataManager("a", tm, journal).failOn("commit", new IllegalStateException("commit"));
        SampleDataManager b = new SampleDataManager("b", tm, journal).failOn("tpcAbort", new IllegalStateException("tpcAbort"));
        a.put("x", 1);
        b.put("x", 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, tm::commit);
        assertEquals("commit", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertEquals("tpcAbort", e.getSuppressed()[0].getMessage());
        assertEquals(List.of("a.tpcBegin", "b.tpcBegin", "a.commit", "a.abort", "b.abort", "a.tpcAbort",
                "b.tpcAbort"), journal);
    }

    /** After a finished, b's finish failure makes the commit partial: told as such, with b's failure as cause. */
    @Test
    void failureInFinishTpcAbortsAllAndReportsAPartialCommit() {
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        IllegalStateException disk = new IllegalStateException("disk");
        SampleDataManager b = new SampleDataManager("b", tm, journal).failOn("tpcFinish", disk);
        a.put("x", 1);
        b.put("x", 1);
        PartialCommitException partial = assertThrows(PartialCommitException.class, tm::commit);
        assertSame(disk, partial.getCause());
        assertTrue(partial.getMessage().contains("[" + a + "] finished") && partial.getMessage().contains(b
                + " failed to finish"), partial.getMessage());
        assertFalse(tm.get().isRetryable(partial));
        assertEquals(List.of("a.tpcBegin", "b.tpcBegin", "a.commit", "b.commit", "a.tpcVote", "b.tpcVote",
                "a.tpcFinish", "b.tpcFinish", "a.tpcAbort", "b.tpcAbort"), journal);
        assertEquals(TransactionStatus.COMMIT_FAILED, tm.get().status());
    }

    /** A failure in the first finish: nothing is committed, the others never finish, the failure comes as is. */
    @Test
    void failureInTheFirstFinishAbortsTheOthersAndRethrows() {
        IllegalStateException gone = new IllegalStateException("not committed");
        SampleDataManager a = new SampleDataManager("a", tm, journal).failOn("tpcFinish", gone);
        SampleDataManager b = new SampleDataManager("b", tm, journal);
        a.put("x", 1);
        b.put("x", 1);
        assertSame(gone, assertThrows(IllegalStateException.class, tm::commit));
        assertEquals(List.of("a.tpcBegin", "b.tpcBegin", "a.commit", "b.commit", "a.tpcVote", "b.tpcVote",
                "a.tpcFinish", "a.tpcAbort", "b.tpcAbort"), journal);
        assertEquals(TransactionStatus.COMMIT_FAILED, tm.get().status());
    }

    /**
     * The synchronizers told of a failed commit are the ones registered when it failed, after the clean-up:
     * one that a data manager's abort unregistered during the clean-up hears nothing more, and one registered
     * while the phases ran (a connection opened by a data manager, say) hears the end of the transaction.
     */
    @Test
    void aFailedCommitTellsTheSynchronizersRegisteredWhenItFailed() {
        RecordingSynchronizer leaving = new RecordingSynchronizer();
        RecordingSynchronizer arriving = new RecordingSynchronizer();
        tm.registerSynchronizer(leaving);
        SampleDataManager a = new SampleDataManager("a", tm, journal) {
            @Override
            public void tpcBegin(Transaction txn) {
                super.tpcBegin(txn);
                tm.registerSynchronizer(arriving);
            }

            @Override
            public void abort(Transaction txn) {
                super.abort(txn);
                tm.unregisterSynchronizer(leaving);
            }
        }.failOn("tpcVote", new IllegalStateException("vote"));
        a.put("x", 1);
        assertThrows(IllegalStateException.class, tm::commit);
        assertEquals(List.of("beforeCompletion"), leaving.calls, "unregistered during the clean-up");
        assertEquals(List.of("newTransaction", "afterCompletion"), arriving.calls, "registered during the phases");
    }

    // ---- a failed commit sticks until abort

    @Test
    void failedCommitSticksUntilAbort() {
        SampleDataManager a = new SampleDataManager("a", tm).failOn("tpcVote", new IllegalStateException("full"));
        a.put("x", 1);
        Transaction t = tm.get();
        assertThrows(IllegalStateException.class, tm::commit);
        assertEquals(TransactionStatus.COMMIT_FAILED, t.status());
        assertSame(t, tm.get(), "a failed transaction stays current");
        assertTrue(tm.isActive());
        TransactionFailedException again = assertThrows(TransactionFailedException.class, tm::commit);
        assertEquals("transaction failed at commit: java.lang.IllegalStateException: full; abort it before"
                + " reusing this thread's manager", again.getMessage());
        assertEquals("full", again.getCause().getMessage());
        assertThrows(TransactionFailedException.class, t::savepoint);
        tm.abort();
        assertFalse(tm.isActive());
        a.heal();
        a.put("x", 2);
        tm.commit();
        assertEquals(2, a.committed("x"));
    }

    @Test
    void implicitBeginClearsAFailedTransaction() {
        SampleDataManager a = new SampleDataManager("a", tm).failOn("commit", new IllegalStateException("no"));
        a.put("x", 1);
        assertThrows(IllegalStateException.class, tm::commit);
        Transaction next = tm.begin();
        assertEquals(TransactionStatus.ACTIVE, next.status());
    }

    // ---- sortKey

    @Test
    void equalSortKeysKeepJoinOrderAndNullSortKeyFailsTheCommit() {
        SampleDataManager second = new SampleDataManager("same", tm, journal);
        Transaction t = tm.get();
        t.join(new SampleDataManager("same", tm, new ArrayList<>()) {
            @Override
            public void tpcBegin(Transaction txn) {
                journal.add("first.tpcBegin");
            }
        });
        t.join(second);
        t.commit();
        assertEquals("first.tpcBegin", journal.get(0));
        assertEquals("same.tpcBegin", journal.get(1));

        Transaction t2 = tm.get();
        t2.join(new SampleDataManager("x", tm) {
            @Override
            public String sortKey() {
                return null;
            }
        });
        NullPointerException e = assertThrows(NullPointerException.class, t2::commit);
        assertTrue(e.getMessage().contains("sortKey()"), e.getMessage());
        assertEquals(TransactionStatus.COMMIT_FAILED, t2.status());
    }

    // ---- doom

    @Test
    void doomIsIdempotentEndsWithAbortAndIsRefusedOnceCommittedOrFailed() {
        Transaction t = tm.get();
        assertFalse(t.isDoomed());
        t.doom();
        assertTrue(t.isDoomed());
        assertTrue(tm.isDoomed());
        t.doom();
        assertTrue(t.isDoomed());
        t.abort();
        Transaction c = tm.get();
        c.commit();
        IllegalStateException e = assertThrows(IllegalStateException.class, c::doom);
        assertTrue(e.getMessage().contains("committed"), e.getMessage());

        SampleDataManager a = new SampleDataManager("a", tm).failOn("commit", new IllegalStateException("no"));
        a.put("x", 1);
        Transaction f = tm.get();
        assertThrows(IllegalStateException.class, f::commit);
        IllegalStateException notDoomable = assertThrows(IllegalStateException.class, f::doom);
        assertTrue(notDoomable.getMessage().contains("COMMIT_FAILED"), notDoomable.getMessage());
    }

    @Test
    void facadeDoomsTheThreadsTransaction() {
        Transactions.begin();
        assertFalse(Transactions.isDoomed());
        Transactions.doom();
        assertTrue(Transactions.isDoomed());
        Transactions.abort();
        assertFalse(Transactions.isActive());
    }

    // ---- a doomed transaction cannot commit

    @Test
    void doomedCommitThrowsEveryTimeAndTouchesNothing() {
        SampleDataManager a = new SampleDataManager("a", tm);
        a.put("x", 1);
        Transaction t = tm.get();
        t.addBeforeCommitHook(() -> journal.add("hook"));
        t.doom();
        DoomedTransactionException e = assertThrows(DoomedTransactionException.class, t::commit);
        assertTrue(e.getMessage().contains("abort"), e.getMessage());
        assertThrows(DoomedTransactionException.class, t::commit);
        assertEquals(List.of(), a.calls);
        assertEquals(List.of(), journal);
        SampleDataManager b = new SampleDataManager("b", tm);
        b.put("y", 1);
        t.abort();
        assertEquals(List.of("abort"), a.calls);
        assertEquals(List.of("abort"), b.calls);
    }

    // ---- note, user, extended info

    @Test
    void notesUserAndExtendedInfo() {
        Transaction t = tm.get();
        assertEquals("", t.description());
        assertEquals("", t.user());
        t.note("  first  ");
        t.note("second\n");
        t.note(null);
        assertEquals("first\nsecond", t.description());
        t.setUser("bob");
        assertEquals("bob", t.user()); // jodb keeps the plain name; ZODB would give "/ bob"
        t.setUser("alice", "/acl_users");
        assertEquals("/acl_users alice", t.user());
        assertThrows(NullPointerException.class, () -> t.setUser(null));
        t.setExtendedInfo("request", "/checkout");
        t.setExtendedInfo("request", "/pay");
        assertEquals(Map.of("request", "/pay"), t.extendedInfo());
        assertThrows(UnsupportedOperationException.class, () -> t.extendedInfo().clear());
    }

    // ---- before-commit hooks

    @Test
    void beforeCommitHooksRunFifoIncludingAddedOnesBeforeSynchronizers() {
        RecordingSynchronizer sync = new RecordingSynchronizer(journal);
        tm.registerSynchronizer(sync);
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        a.put("x", 1);
        Transaction t = tm.get();
        t.addBeforeCommitHook(() -> {
            journal.add("hook1");
            t.addBeforeCommitHook(() -> journal.add("hook3"));
        });
        t.addBeforeCommitHook(() -> journal.add("hook2"));
        t.commit();
        assertEquals(List.of("hook1", "hook2", "hook3", "sync.beforeCompletion", "a.tpcBegin"), journal.subList(0, 5));
    }

    @Test
    void hookFailurePropagatesAndHooksAreUsedUp() {
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        a.put("x", 1);
        Transaction t = tm.get();
        t.addBeforeCommitHook(() -> {
            throw new IllegalArgumentException("hook failed");
        });
        assertThrows(IllegalArgumentException.class, t::commit);
        assertEquals(TransactionStatus.ACTIVE, t.status());
        assertEquals(List.of(), journal, "no data manager was called");
        t.commit();
        assertEquals(1, a.committed("x"));
    }

    @Test
    void hooksDoNotCarryOverToTheNextTransaction() {
        List<String> ran = new ArrayList<>();
        tm.get().addBeforeCommitHook(() -> ran.add("hook"));
        tm.abort();
        tm.commit();
        assertEquals(List.of(), ran);
    }

    // ---- after-commit hooks

    @Test
    void afterCommitHooksGetTrueAfterAfterCompletionThenCleanAbort() {
        RecordingSynchronizer sync = new RecordingSynchronizer(journal);
        tm.registerSynchronizer(sync);
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        a.put("x", 1);
        Transaction t = tm.get();
        t.addAfterCommitHook(ok -> journal.add("hook " + ok));
        t.addAfterCommitHook(ok -> {
            throw new IllegalStateException("ignored");
        });
        t.addAfterCommitHook(ok -> journal.add("hook2 " + ok));
        t.commit();
        assertEquals(List.of("sync.beforeCompletion", "a.tpcBegin", "a.commit", "a.tpcVote", "a.tpcFinish",
                "sync.afterCompletion", "hook true", "hook2 true", "a.abort"), journal);
        assertEquals(1, a.committed("x"));
    }

    @Test
    void afterCommitHooksGetFalseWhenCommitFails() {
        SampleDataManager a = new SampleDataManager("a", tm, journal).failOn("tpcVote", new IllegalStateException("no"));
        a.put("x", 1);
        Transaction t = tm.get();
        t.addAfterCommitHook(ok -> journal.add("hook " + ok));
        t.addAfterAbortHook(() -> journal.add("abort hook"));
        assertThrows(IllegalStateException.class, t::commit);
        assertEquals(List.of("a.tpcBegin", "a.commit", "a.tpcVote", "a.abort", "a.tpcAbort", "hook false",
                "a.abort"), journal);
    }

    // ---- abort order

    @Test
    void abortRunsHooksDataManagersAndSynchronizersInOrderAndInvalidatesSavepoints() {
        RecordingSynchronizer sync = new RecordingSynchronizer(journal);
        tm.registerSynchronizer(sync);
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        SampleDataManager b = new SampleDataManager("b", tm, journal);
        a.put("x", 1);
        b.put("x", 1);
        Transaction t = tm.get();
        Savepoint sp = t.savepoint();
        journal.clear();
        t.addBeforeAbortHook(() -> journal.add("before-abort " + sp.isValid()));
        t.addAfterAbortHook(() -> journal.add("after-abort " + tm.isActive()));
        t.addAfterCommitHook(ok -> journal.add("after-commit"));
        t.abort();
        assertEquals(List.of("before-abort true", "sync.beforeCompletion", "a.abort", "b.abort", "after-abort true",
                "a.abort", "b.abort", "sync.afterCompletion"), journal);
        assertFalse(sp.isValid());
        assertFalse(tm.isActive());
    }

    @Test
    void firstAbortFailureIsRethrownAfterEveryDataManagerAborted() {
        SampleDataManager a = new SampleDataManager("a", tm, journal).failOn("abort", new IllegalStateException("a"));
        SampleDataManager b = new SampleDataManager("b", tm, journal).failOn("abort", new IllegalStateException("b"));
        SampleDataManager c = new SampleDataManager("c", tm, journal);
        a.put("x", 1);
        b.put("x", 1);
        c.put("x", 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, tm::abort);
        assertEquals("a", e.getMessage());
        assertEquals(List.of("a.abort", "b.abort", "c.abort"), journal);
        assertFalse(tm.isActive(), "the transaction ended all the same");
        assertNull(c.get("x"));
    }

    @Test
    void abortOfAnEndedTransactionDoesNothingAndCommitIsRefused() {
        SampleDataManager a = new SampleDataManager("a", tm);
        a.put("x", 1);
        Transaction t = tm.get();
        t.commit();
        t.abort();
        t.close();
        assertEquals(List.of("tpcBegin", "commit", "tpcVote", "tpcFinish"), a.calls);
        IllegalStateException e = assertThrows(IllegalStateException.class, t::commit);
        assertEquals("cannot commit: the transaction has already been committed; use the manager's current"
                + " transaction (Transactions.get() or begin())", e.getMessage());
        assertThrows(IllegalStateException.class, t::savepoint);
        assertThrows(IllegalStateException.class, () -> t.addBeforeCommitHook(() -> { }));
    }

    // ---- threads

    @Test
    void transactionUsedFromAnotherThreadFailsClearly() throws Exception {
        Transaction t = tm.get();
        SampleDataManager a = new SampleDataManager("a", tm);
        List<Throwable> failures = new ArrayList<>();
        Thread other = new Thread(() -> {
            for (Runnable use : List.<Runnable>of(t::commit, t::abort, t::savepoint, () -> t.join(a), t::doom,
                    () -> t.note("x"), tm::get, tm::commit)) {
                try {
                    use.run();
                } catch (IllegalStateException e) {
                    failures.add(e);
                }
            }
        }, "intruder");
        other.start();
        other.join();
        assertEquals(8, failures.size());
        assertTrue(failures.get(0).getMessage().startsWith("transaction of thread '" + Thread.currentThread().getName()
                + "' used from thread 'intruder'"), failures.get(0).getMessage());
        assertEquals(TransactionStatus.ACTIVE, t.status());
        t.commit();
    }

    @Test
    void aManagerMayMoveToAnotherThreadBetweenTransactions() throws Exception {
        TransactionManager shared = new TransactionManager(true);
        shared.begin();
        shared.commit();
        AtomicReference<TransactionStatus> status = new AtomicReference<>();
        Thread other = new Thread(() -> {
            Transaction t = shared.begin();
            shared.commit();
            status.set(t.status());
        });
        other.start();
        other.join();
        assertEquals(TransactionStatus.COMMITTED, status.get());
    }
}
