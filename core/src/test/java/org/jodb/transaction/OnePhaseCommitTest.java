package org.jodb.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A transaction with exactly one data manager lets it vote and finish in one step ({@code tpcVoteAndFinish});
 * with two or more, every data manager votes before any finishes, as before.
 */
class OnePhaseCommitTest {
    private final List<String> journal = new ArrayList<>();
    private final TransactionManager tm = new TransactionManager();

    /** A data manager that commits in one step when it is alone, and records that it did. */
    private static class OneStep extends SampleDataManager {
        OneStep(String name, TransactionManager manager, List<String> journal) {
            super(name, manager, journal);
        }

        @Override
        public void tpcVoteAndFinish(Transaction txn) {
            calls.add("tpcVoteAndFinish");
            tpcFinish(txn); // makes the working copy the committed one (records "tpcFinish" too)
        }
    }

    @Test
    void theOnlyDataManagerVotesAndFinishesInOneStep() {
        OneStep a = new OneStep("a", tm, journal);
        a.put("k", 1);
        tm.commit();
        assertEquals(List.of("tpcBegin", "commit", "tpcVoteAndFinish", "tpcFinish"), a.calls);
        assertEquals(1, a.committed("k"));
    }

    @Test
    void theDefaultVotesThenFinishes() {
        SampleDataManager a = new SampleDataManager("a", tm, journal);
        a.put("k", 1);
        tm.commit();
        assertEquals(List.of("tpcBegin", "commit", "tpcVote", "tpcFinish"), a.calls);
        assertEquals(1, a.committed("k"));
    }

    @Test
    void twoDataManagersAllVoteBeforeAnyFinishes() {
        OneStep a = new OneStep("a", tm, journal);
        OneStep b = new OneStep("b", tm, journal);
        a.put("k", 1);
        b.put("k", 2);
        tm.commit();
        assertEquals(List.of("a.tpcBegin", "b.tpcBegin", "a.commit", "b.commit", "a.tpcVote", "b.tpcVote",
                "a.tpcFinish", "b.tpcFinish"), journal);
        assertEquals(List.of("tpcBegin", "commit", "tpcVote", "tpcFinish"), a.calls, "never one step");
    }

    @Test
    void aFailedOneStepCommitAbortsLikeAFailedVote() {
        RuntimeException refused = new IllegalStateException("refused");
        SampleDataManager a = new OneStep("a", tm, journal) {
            @Override
            public void tpcVoteAndFinish(Transaction txn) {
                calls.add("tpcVoteAndFinish");
                throw refused;
            }
        };
        a.put("k", 1);
        Transaction t = tm.get();
        assertSame(refused, assertThrows(IllegalStateException.class, t::commit));
        assertEquals(List.of("tpcBegin", "commit", "tpcVoteAndFinish", "abort", "tpcAbort"), a.calls);
        assertEquals(TransactionStatus.COMMIT_FAILED, t.status());
        assertNull(a.committed("k"));
    }

    @Test
    void theDefaultsFailedFinishCommitsNothingAndCleansUp() {
        RuntimeException notDone = new IllegalStateException("not committed");
        SampleDataManager a = new SampleDataManager("a", tm, journal).failOn("tpcFinish", notDone);
        a.put("k", 1);
        Transaction t = tm.get();
        assertSame(notDone, assertThrows(IllegalStateException.class, t::commit));
        assertEquals(List.of("tpcBegin", "commit", "tpcVote", "tpcFinish", "abort", "tpcAbort"), a.calls);
        assertNull(a.committed("k"));
    }
}
