package org.jodb.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How long hooks live: a hook added while hooks run is run too, for every kind; commit hooks run neither at
 * a savepoint nor at an abort, and abort hooks not at a commit; none carries over to the next transaction;
 * and the abort hooks of a failed commit wait for its abort.
 */
class HookLifetimeTest {
    private final List<String> log = new ArrayList<>();
    private final TransactionManager tm = new TransactionManager();

    @Test
    void hooksAddedWhileHooksRunAreRunTooForEveryKind() {
        Transaction t = tm.get();
        t.addAfterCommitHook(ok -> {
            log.add("after-commit 1 " + ok);
            t.addAfterCommitHook(ok2 -> log.add("after-commit 2 " + ok2));
        });
        t.commit();
        Transaction a = tm.get();
        a.addBeforeAbortHook(() -> {
            log.add("before-abort 1");
            a.addBeforeAbortHook(() -> log.add("before-abort 2"));
        });
        a.addAfterAbortHook(() -> {
            log.add("after-abort 1");
            a.addAfterAbortHook(() -> log.add("after-abort 2"));
        });
        a.abort();
        assertEquals(List.of("after-commit 1 true", "after-commit 2 true", "before-abort 1", "before-abort 2",
                "after-abort 1", "after-abort 2"), log);
    }

    @Test
    void commitHooksRunNeitherAtASavepointNorAtAnAbortAndDoNotCarryOver() {
        Transaction t = tm.get();
        t.addBeforeCommitHook(() -> log.add("before-commit"));
        t.addAfterCommitHook(ok -> log.add("after-commit " + ok));
        t.savepoint();
        assertEquals(List.of(), log);
        t.abort();
        tm.commit();
        assertEquals(List.of(), log, "an abort uses up neither kind by running it, and the next commit has none");
        Transaction c = tm.get();
        c.addBeforeAbortHook(() -> log.add("before-abort"));
        c.addAfterAbortHook(() -> log.add("after-abort"));
        c.commit();
        tm.abort();
        assertEquals(List.of(), log, "a commit runs no abort hook and drops them");
    }

    @Test
    void afterAFailedCommitTheAbortHooksWaitForTheAbort() {
        SampleDataManager dm = new SampleDataManager("a", tm, log).failOn("tpcVote", new IllegalStateException("no"));
        dm.put("x", 1);
        Transaction t = tm.get();
        t.addBeforeAbortHook(() -> log.add("before-abort"));
        t.addAfterAbortHook(() -> log.add("after-abort"));
        assertThrows(IllegalStateException.class, t::commit);
        assertEquals(List.of("a.tpcBegin", "a.commit", "a.tpcVote", "a.abort", "a.tpcAbort"), log);
        log.clear();
        t.abort();
        assertEquals(List.of("before-abort", "a.abort", "after-abort", "a.abort"), log);
    }

    @Test
    void aBeforeCommitHookFailureLeavesTheAfterCommitHooksForTheNextCommit() {
        Transaction t = tm.get();
        t.addBeforeCommitHook(() -> {
            throw new IllegalArgumentException("refused");
        });
        t.addAfterCommitHook(ok -> log.add("after-commit " + ok));
        assertThrows(IllegalArgumentException.class, t::commit);
        assertEquals(List.of(), log, "the commit never started: no after-commit hook ran");
        assertEquals(TransactionStatus.ACTIVE, t.status());
        t.commit();
        assertEquals(List.of("after-commit true"), log);
    }

    @Test
    void aBeforeCommitHookThatAbortsMakesTheCommitFailInsteadOfReportingACommit() {
        SampleDataManager dm = new SampleDataManager("a", tm, log);
        dm.put("x", 1);
        Transaction t = tm.get();
        t.addBeforeCommitHook(t::abort);
        IllegalStateException e = assertThrows(IllegalStateException.class, t::commit);
        assertEquals("cannot commit: a before-commit hook or synchronizer ended the transaction (it was aborted);"
                + " nothing was committed. Do not end a transaction from its own before-commit hook; doom() it to"
                + " make the commit fail instead", e.getMessage());
        assertEquals(TransactionStatus.ACTIVE, t.status(), "not reported as committed");
        assertEquals(List.of("a.abort"), log);
        assertNull(dm.committed("x"));
        assertEquals(false, tm.isActive());
        tm.commit();
    }

    @Test
    void anAbortInAnAfterCommitHookChangesNothingAndTheCommitSucceeds() {
        SampleDataManager dm = new SampleDataManager("a", tm, log);
        dm.put("x", 1);
        Transaction t = tm.get();
        List<Throwable> refused = new ArrayList<>();
        t.addAfterCommitHook(ok -> {
            t.abort();
            tm.abort(); // the manager's current transaction is still the committed one
            refused.add(assertThrows(IllegalStateException.class, t::commit));
        });
        t.addAfterCommitHook(ok -> log.add("next hook " + ok));
        t.commit();
        assertEquals(TransactionStatus.COMMITTED, t.status());
        assertEquals(1, dm.committed("x"));
        assertEquals(List.of("a.tpcBegin", "a.commit", "a.tpcVote", "a.tpcFinish", "next hook true", "a.abort"), log);
        assertEquals(false, tm.isActive());
        assertTrue(refused.get(0).getMessage().startsWith("cannot commit: the transaction has already been committed"),
                refused.get(0).getMessage());
    }
}
