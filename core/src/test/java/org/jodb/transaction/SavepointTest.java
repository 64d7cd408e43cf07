package org.jodb.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SavepointTest {
    private final List<String> journal = new ArrayList<>();
    private final TransactionManager tm = new TransactionManager();

    // ---- a savepoint asks every joined data manager

    @Test
    void savepointAsksEveryJoinedDataManager() {
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        SampleDataManager b = new SampleDataManager("b", tm, journal);
        a.put("x", 1);
        b.put("y", 1);
        tm.savepoint();
        assertEquals(List.of("a.savepoint", "b.savepoint"), journal);
    }

    @Test
    void savepointWithoutDataManagersIsFine() {
        Savepoint sp = tm.savepoint();
        assertTrue(sp.isValid());
        sp.rollback();
        assertTrue(sp.isValid());
        tm.commit();
    }

    @Test
    void rollbackRestoresTheState() {
        SampleDataManager a = new SampleDataManager("a", tm);
        a.put("x", 1);
        Savepoint sp = tm.savepoint();
        a.put("x", 2);
        a.put("y", 3);
        sp.rollback();
        assertEquals(1, a.get("x"));
        assertNull(a.get("y"));
        tm.commit();
        assertEquals(1, a.committed("x"));
    }

    // ---- data managers without savepoints; optimistic savepoints

    @Test
    void nonOptimisticSavepointOfAnUnsupportingDataManagerFails() {
        SampleDataManager plain = SampleDataManager.withoutSavepoints("plain", tm, journal);
        plain.put("x", 1);
        SavepointsUnsupportedException e = assertThrows(SavepointsUnsupportedException.class, tm::savepoint);
        assertTrue(e.getMessage().contains("savepoint(true)"), e.getMessage());
        assertTrue(e.getMessage().contains("SampleDataManager plain"), e.getMessage());
    }

    @Test
    void optimisticSavepointSucceedsButFailsOnRollback() {
        SampleDataManager plain = SampleDataManager.withoutSavepoints("plain", tm, journal);
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        plain.put("x", 1);
        a.put("x", 1);
        Savepoint sp = tm.savepoint(true);
        assertTrue(sp.isValid());
        assertEquals(List.of("a.savepoint"), journal);
        SavepointsUnsupportedException e = assertThrows(SavepointsUnsupportedException.class, sp::rollback);
        assertTrue(e.getMessage().contains("optimistic"), e.getMessage());
        assertEquals(TransactionStatus.COMMIT_FAILED, tm.get().status(), "a failed rollback fails the transaction");
    }

    @Test
    void optimisticSavepointLetsTheTransactionCommit() {
        SampleDataManager plain = SampleDataManager.withoutSavepoints("plain", tm, journal);
        plain.put("x", 1);
        tm.savepoint(true);
        plain.put("x", 2);
        tm.commit();
        assertEquals(2, plain.committed("x"));
    }

    // ---- a failure while taking a savepoint

    @Test
    void failingSavepointAbortsEverythingAndSticks() {
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        SampleDataManager plain = SampleDataManager.withoutSavepoints("plain", tm, journal);
        a.put("x", 1);
        plain.put("x", 1);
        Transaction t = tm.get();
        assertThrows(SavepointsUnsupportedException.class, t::savepoint);
        assertEquals(List.of("a.savepoint", "a.abort", "plain.abort", "a.tpcAbort", "plain.tpcAbort"), journal);
        assertNull(a.get("x"), "uncommitted changes are lost at once");
        assertEquals(TransactionStatus.COMMIT_FAILED, t.status());
        TransactionFailedException e = assertThrows(TransactionFailedException.class, t::savepoint);
        assertTrue(e.getMessage().startsWith("transaction failed at savepoint: "), e.getMessage());
        assertTrue(e.getCause() instanceof SavepointsUnsupportedException);
        assertThrows(TransactionFailedException.class, t::commit);
        assertThrows(TransactionFailedException.class, () -> t.join(a));
        t.abort();
        a.put("x", 2);
        tm.commit();
        assertEquals(2, a.committed("x"));
    }

    @Test
    void failingDataManagerSavepointFailsTheTransaction() {
        SampleDataManager a = new SampleDataManager("a", tm, journal).failOn("savepoint", new IllegalStateException("tmp full"));
        a.put("x", 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, tm::savepoint);
        assertEquals("tmp full", e.getMessage());
        assertEquals(TransactionStatus.COMMIT_FAILED, tm.get().status());
        assertEquals(List.of("a.savepoint", "a.abort", "a.tpcAbort"), journal);
    }

    @Test
    void earlierSavepointCannotBeRolledBackAfterAFailedOne() {
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        a.put("x", 1);
        Savepoint sp1 = tm.savepoint();
        a.failOn("savepoint", new IllegalStateException("tmp full"));
        assertThrows(IllegalStateException.class, tm::savepoint);
        TransactionFailedException e = assertThrows(TransactionFailedException.class, sp1::rollback);
        assertEquals("tmp full", e.getCause().getMessage());
    }

    // ---- numbering and validity

    @Test
    void savepointsAreNumberedFromOne() {
        RealSavepoint sp1 = (RealSavepoint) tm.savepoint();
        RealSavepoint sp2 = (RealSavepoint) tm.savepoint();
        RealSavepoint sp3 = (RealSavepoint) tm.get().savepoint(true);
        assertEquals(List.of(1, 2, 3), List.of(sp1.index, sp2.index, sp3.index));
        assertTrue(sp1.isValid() && sp2.isValid() && sp3.isValid());
        tm.commit();
        assertEquals(1, ((RealSavepoint) tm.savepoint()).index, "numbering is per transaction");
    }

    // ---- rolling back an invalid savepoint

    @Test
    void invalidSavepointRollbackSaysWhy() {
        SampleDataManager a = new SampleDataManager("a", tm);
        a.put("x", 1);
        Savepoint sp1 = tm.savepoint();
        Savepoint sp2 = tm.savepoint();
        Savepoint sp3 = tm.savepoint();
        sp1.rollback();
        InvalidSavepointException e = assertThrows(InvalidSavepointException.class, sp2::rollback);
        assertEquals("savepoint 2 was invalidated by rolling back savepoint 1; roll back to a valid savepoint or"
                + " take a new one", e.getMessage());
        assertThrows(InvalidSavepointException.class, sp3::rollback);
        tm.commit();
        InvalidSavepointException afterCommit = assertThrows(InvalidSavepointException.class, sp1::rollback);
        assertTrue(afterCommit.getMessage().startsWith("savepoint 1 was invalidated by the commit of its transaction"),
                afterCommit.getMessage());
        Savepoint sp = tm.savepoint();
        tm.abort();
        InvalidSavepointException afterAbort = assertThrows(InvalidSavepointException.class, sp::rollback);
        assertTrue(afterAbort.getMessage().startsWith("savepoint 1 was invalidated by the abort of its transaction"),
                afterAbort.getMessage());
    }

    @Test
    void invalidRollbackChangesNothing() {
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        a.put("x", 1);
        Savepoint sp1 = tm.savepoint();
        Savepoint sp2 = tm.savepoint();
        sp1.rollback();
        a.put("x", 5);
        journal.clear();
        assertThrows(InvalidSavepointException.class, sp2::rollback);
        assertEquals(List.of(), journal);
        assertEquals(5, a.get("x"));
        assertEquals(TransactionStatus.ACTIVE, tm.get().status());
    }

    // ---- rollback to k invalidates later ones, keeps k, is repeatable

    @Test
    void rollbackIsRepeatableAndKeepsItselfValid() {
        SampleDataManager a = new SampleDataManager("a", tm);
        a.put("x", 1);
        Savepoint sp1 = tm.savepoint();
        a.put("x", 2);
        Savepoint sp2 = tm.savepoint();
        a.put("x", 3);
        Savepoint sp3 = tm.savepoint();
        a.put("x", 4);
        sp2.rollback();
        assertEquals(2, a.get("x"));
        assertTrue(sp1.isValid());
        assertTrue(sp2.isValid());
        assertFalse(sp3.isValid());
        a.put("x", 20);
        sp2.rollback();
        assertEquals(2, a.get("x"));
        sp2.rollback();
        assertEquals(2, a.get("x"));
        sp1.rollback();
        assertEquals(1, a.get("x"));
        assertFalse(sp2.isValid());
        Savepoint sp4 = tm.savepoint();
        assertTrue(sp4.isValid());
        tm.commit();
        assertEquals(1, a.committed("x"));
    }

    // ---- a failing rollback fails the transaction

    @Test
    void failingRollbackFailsTheTransaction() {
        SampleDataManager a = new SampleDataManager("a", tm);
        a.put("x", 1);
        Savepoint sp1 = tm.savepoint();
        Savepoint sp2 = tm.savepoint();
        Savepoint sp3 = tm.savepoint();
        a.failOn("rollback", new IllegalStateException("tmp file gone"));
        IllegalStateException e = assertThrows(IllegalStateException.class, sp2::rollback);
        assertEquals("tmp file gone", e.getMessage());
        Transaction t = tm.get();
        assertEquals(TransactionStatus.COMMIT_FAILED, t.status());
        assertFalse(t.isDoomed());
        assertFalse(sp3.isValid(), "later savepoints were invalidated before the rollback failed");
        assertTrue(sp1.isValid());
        assertThrows(TransactionFailedException.class, sp1::rollback);
        TransactionFailedException failed = assertThrows(TransactionFailedException.class, t::commit);
        assertEquals("transaction failed at rollback of savepoint 2: java.lang.IllegalStateException: tmp file gone;"
                + " abort it before reusing this thread's manager", failed.getMessage());
        assertFalse(sp1.isValid(), "commit invalidates every savepoint, even when it then refuses");
        t.abort();
        assertFalse(tm.isActive());
    }

    // ---- commit and abort invalidate all; savepoints run no hooks

    @Test
    void commitAndAbortInvalidateAll() {
        Savepoint a1 = tm.savepoint();
        Savepoint a2 = tm.savepoint();
        tm.commit();
        assertFalse(a1.isValid());
        assertFalse(a2.isValid());
        Savepoint b1 = tm.savepoint();
        tm.abort();
        assertFalse(b1.isValid());
    }

    @Test
    void doomedCommitDoesNotInvalidateSavepoints() {
        Savepoint sp = tm.savepoint();
        tm.doom();
        assertThrows(DoomedTransactionException.class, tm::commit);
        assertTrue(sp.isValid());
    }

    @Test
    void savepointAndRollbackRunNoHooksAndNoSynchronizers() {
        RecordingSynchronizer sync = new RecordingSynchronizer(journal);
        tm.registerSynchronizer(sync);
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        a.put("x", 1);
        Transaction t = tm.get();
        t.addBeforeCommitHook(() -> journal.add("before-commit"));
        t.addAfterCommitHook(ok -> journal.add("after-commit"));
        t.addBeforeAbortHook(() -> journal.add("before-abort"));
        t.addAfterAbortHook(() -> journal.add("after-abort"));
        Savepoint sp = t.savepoint();
        sp.rollback();
        t.savepoint(true).rollback();
        assertEquals(List.of("a.savepoint", "a.rollback", "a.savepoint", "a.rollback"), journal);
    }

    // ---- a data manager that joins after a savepoint

    @Test
    void lateJoinerIsAbortedAndUnjoinedOnRollbackAndCanRejoin() {
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        SampleDataManager late = new SampleDataManager("late", tm, journal);
        a.put("x", 1);
        Savepoint sp1 = tm.savepoint();
        Savepoint sp2 = tm.savepoint();
        late.put("y", 1);
        RealTransaction t = (RealTransaction) tm.get();
        assertEquals(List.of(a, late), t.resources());
        journal.clear();
        sp2.rollback();
        assertEquals(List.of("a.rollback", "late.abort"), journal);
        assertEquals(List.of(a), t.resources());
        assertNull(late.get("y"));
        assertFalse(late.isJoined());

        late.put("y", 2);
        assertEquals(List.of(a, late), t.resources());
        journal.clear();
        tm.commit();
        assertEquals(List.of("a.tpcBegin", "late.tpcBegin", "a.commit", "late.commit", "a.tpcVote", "late.tpcVote",
                "a.tpcFinish", "late.tpcFinish"), journal, "two-phase commit once per data manager");
        assertEquals(2, late.committed("y"));
        assertFalse(sp1.isValid());
    }

    @Test
    void lateJoinerIsAbortedByEveryEarlierSavepoint() {
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        SampleDataManager late = new SampleDataManager("late", tm, journal);
        a.put("x", 1);
        Savepoint sp1 = tm.savepoint();
        a.put("x", 2);
        Savepoint sp2 = tm.savepoint();
        late.put("y", 1);
        Savepoint sp3 = tm.savepoint();
        late.put("y", 3);
        sp3.rollback();
        assertEquals(1, late.get("y"), "a savepoint taken after it joined restores it normally");
        journal.clear();
        sp1.rollback();
        assertEquals(List.of("a.rollback", "late.abort"), journal);
        assertEquals(1, a.get("x"));
        assertNull(late.get("y"));
        assertFalse(sp2.isValid());
    }

    // ---- data-manager savepoints have no validity; the transaction's savepoint enforces it

    @Test
    void validityIsEnforcedByTheTransactionSavepointOnly() {
        List<DataManagerSavepoint> parts = new ArrayList<>();
        SampleDataManager a = new SampleDataManager("a", tm, journal) {
            @Override
            public DataManagerSavepoint savepoint() {
                DataManagerSavepoint part = super.savepoint();
                parts.add(part);
                return part;
            }
        };
        a.put("x", 1);
        Savepoint sp1 = tm.savepoint();
        a.put("x", 2);
        Savepoint sp2 = tm.savepoint();
        sp1.rollback();
        assertFalse(sp2.isValid());
        parts.get(1).rollback();
        assertEquals(2, a.get("x"), "the part of savepoint 2 still rolls back when asked directly");
        assertThrows(InvalidSavepointException.class, sp2::rollback);
    }

    // ---- threads

    @Test
    void savepointRolledBackFromAnotherThreadFailsClearly() throws Exception {
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        a.put("x", 1);
        Savepoint sp = tm.savepoint();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                sp.rollback();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "other");
        other.start();
        other.join();
        assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
        assertTrue(failure.get().getMessage().contains("used from thread 'other'"), failure.get().getMessage());
        assertTrue(sp.isValid());
        assertEquals(List.of("a.savepoint"), journal);
    }

    @Test
    void facadeSavepointsUseTheThreadsTransaction() {
        SampleDataManager a = new SampleDataManager("a", Transactions.manager());
        a.put("x", 1);
        Savepoint sp = Transactions.savepoint();
        a.put("x", 2);
        Savepoint optimistic = Transactions.savepoint(true);
        sp.rollback();
        assertFalse(optimistic.isValid());
        assertEquals(1, a.get("x"));
        assertSame(Transactions.get(), Transactions.current().orElseThrow());
        Transactions.abort();
        assertNull(a.get("x"));
    }
}
