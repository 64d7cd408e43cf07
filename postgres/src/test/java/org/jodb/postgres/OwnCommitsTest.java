package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jodb.spi.Changes;
import org.jodb.spi.CommittedTransaction;
import org.junit.jupiter.api.Test;

/** When a poll may answer from the storage's own commits, and when it must ask the server. */
class OwnCommitsTest {

    private static List<Long> tids(Changes changes) {
        return changes.transactions().stream().map(CommittedTransaction::tid).toList();
    }

    @Test
    void ownCommitsAfterTheSnapshotAreReportedWithTheirOids() {
        OwnCommits own = new OwnCommits();
        own.heard(10);
        own.committed(11, 10, new long[] {1, 2});
        own.committed(12, 11, new long[] {3});
        Changes changes = own.since(10);
        assertEquals(12, changes.snapshotTid());
        assertEquals(List.of(11L, 12L), tids(changes));
        assertArrayEquals(new long[] {1, 2}, changes.transactions().get(0).oids());
        assertEquals(Changes.none(12), own.since(12));
        assertEquals(List.of(12L), tids(own.since(11)));
    }

    @Test
    void aTidHeardThatIsNoOwnCommitMakesEarlierSnapshotsAsk() {
        OwnCommits own = new OwnCommits();
        own.committed(11, 10, new long[] {1});
        own.heard(13); // another process's notification
        assertNull(own.since(11));
        assertNull(own.since(12));
        assertEquals(Changes.none(13), own.since(13));
    }

    @Test
    void anotherProcessesCommitBeforeAnOwnOneIsFoundThroughItsPreviousTidEvenUnheard() {
        OwnCommits own = new OwnCommits();
        own.committed(11, 10, new long[] {1});
        // tid 12 of another process: its notification was lost; this storage's next vote found it as the last tid
        own.committed(13, 12, new long[] {2});
        assertNull(own.since(11), "the poll must ask: tid 12 is not this storage's");
        assertEquals(List.of(13L), tids(own.since(12)));
    }

    @Test
    void anOwnCommitsNotificationHeardBeforeItsThreadRecordsItIsNoReasonToAsk() {
        OwnCommits own = new OwnCommits();
        own.committed(11, 10, new long[] {1});
        own.heard(12); // the listener hears tid 12 before its committing thread got back from the server
        own.committed(12, 11, new long[] {2});
        assertEquals(List.of(12L), tids(own.since(11)));
    }

    @Test
    void aHeardTidJudgedBeforeItsOwnCommitIsRecordedMakesThePollAsk() {
        OwnCommits own = new OwnCommits();
        own.committed(11, 10, new long[] {1});
        own.heard(12);
        assertNull(own.since(11), "tid 12 is nobody's known commit yet: the poll asks");
        own.committed(12, 11, new long[] {2});
        assertNull(own.since(11), "the server was the judge of tid 12 once; its answer stands");
        assertEquals(Changes.none(12), own.since(12));
    }

    @Test
    void aSnapshotOlderThanWhatTheLogDroppedAsks() {
        OwnCommits own = new OwnCommits();
        long[] half = new long[OwnCommits.MAX_OIDS / 2 + 1];
        own.committed(11, 10, half);
        own.committed(12, 11, half);
        own.committed(13, 12, new long[] {1}); // the log no longer holds tid 11
        assertNull(own.since(10));
        assertEquals(List.of(13L), tids(own.since(12)));
        own.committed(14, 13, new long[OwnCommits.MAX_OIDS + 1]); // too big to keep at all
        assertNull(own.since(13));
        assertEquals(Changes.none(14), own.since(14));
    }

    @Test
    void anotherProcessesCommitHeardWithItsOidsIsReportedAndAGapBeforeItMakesThePollAsk() {
        OwnCommits own = new OwnCommits();
        own.committed(11, 10, new long[] {1});
        own.heardCommit(12, 11, new long[] {2, 3}); // another process's, named in full by its notification
        Changes changes = own.since(11);
        assertEquals(List.of(12L), tids(changes));
        assertArrayEquals(new long[] {2, 3}, changes.transactions().get(0).oids());
        own.heardCommit(15, 14, new long[] {4}); // 13 and 14 were not heard in full
        assertNull(own.since(12), "a commit lies between 12 and 15 that the log does not hold");
        assertEquals(List.of(15L), tids(own.since(14)));
    }

    @Test
    void anOwnCommitHeardInFullBeforeItsThreadRecordsItIsLoggedOnce() {
        OwnCommits own = new OwnCommits();
        long[] oids = new long[OwnCommits.MAX_OIDS * 3 / 4]; // counted twice, the log would drop it as too big
        own.heardCommit(11, 10, oids);
        own.committed(11, 10, oids);
        assertEquals(List.of(11L), tids(own.since(10)));
        assertEquals(oids.length, own.since(10).transactions().get(0).oids().length);
    }

    /** Runs {@code announce} on another thread after a pause, as the listener would while a poll waits. */
    private static Thread later(Runnable announce) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            announce.run();
        });
        t.start();
        return t;
    }

    @Test
    void aPollWaitsForTheNotificationOfACommitItsVoteFoundAndAnswersWithoutAsking() throws Exception {
        OwnCommits own = new OwnCommits();
        own.committed(11, 10, new long[] {1});
        own.committed(13, 12, new long[] {2}); // the vote found 12, another process's, whose notification is on its way
        Thread listener = later(() -> own.heardCommit(12, 11, new long[] {3}));
        Changes changes = own.since(11, TimeUnit.SECONDS.toNanos(30));
        listener.join();
        assertEquals(List.of(12L, 13L), tids(changes), "the poll answers from the log once 12 is announced");
        assertArrayEquals(new long[] {3}, changes.transactions().get(0).oids());
    }

    @Test
    void aPollWhoseWaitRunsOutAsks() {
        OwnCommits own = new OwnCommits();
        own.committed(11, 10, new long[] {1});
        own.committed(13, 12, new long[] {2});
        assertNull(own.since(11, TimeUnit.MILLISECONDS.toNanos(20)), "12 was never announced");
        own.heardCommit(12, 11, new long[] {3});
        assertNull(own.since(11, 0), "the server was the judge of 12 once; its answer stands");
    }

    @Test
    void anAnnouncementWithoutOidsEndsTheWaitAndThePollAsks() throws Exception {
        OwnCommits own = new OwnCommits();
        own.committed(11, 10, new long[] {1});
        own.committed(13, 12, new long[] {2});
        Thread listener = later(() -> own.announced(12)); // a large commit: its notification names its tid alone
        long start = System.nanoTime();
        assertNull(own.since(11, TimeUnit.SECONDS.toNanos(30)));
        listener.join();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(25), "the announcement ended the wait");
    }

    @Test
    void aLaterAnnouncementEndsTheWaitForAnEarlierTidThatNeverCame() throws Exception {
        OwnCommits own = new OwnCommits();
        own.committed(11, 10, new long[] {1});
        own.committed(13, 12, new long[] {2});
        // notifications come in commit order: once 14 is announced, 12's will not come any more
        Thread listener = later(() -> own.heardCommit(14, 13, new long[] {3}));
        long start = System.nanoTime();
        assertNull(own.since(11, TimeUnit.SECONDS.toNanos(30)), "12 is still nobody's known commit");
        listener.join();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(25), "the announcement of 14 ended the wait");
        assertEquals(List.of(14L), tids(own.since(13, 0)));
    }

    @Test
    void aPollDoesNotWaitForTidsAtOrBeforeItsSnapshot() {
        OwnCommits own = new OwnCommits();
        own.committed(13, 12, new long[] {2}); // 12 unannounced, but a view at 12 or later does not care
        long start = System.nanoTime();
        assertEquals(List.of(13L), tids(own.since(12, TimeUnit.SECONDS.toNanos(30))));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(25));
    }

    @Test
    void afterAWaitRanOutPollsDoNotWaitUntilTheListenerCatchesUp() throws Exception {
        OwnCommits own = new OwnCommits();
        own.committed(11, 10, new long[] {1});
        own.committed(13, 12, new long[] {2}); // 12 is never announced: notifications do not come
        assertNull(own.since(11, TimeUnit.MILLISECONDS.toNanos(20)));
        own.committed(15, 14, new long[] {3}); // 14 is not announced either
        long start = System.nanoTime();
        assertNull(own.since(13, TimeUnit.SECONDS.toNanos(30)), "14 is unexplained; the poll asks at once");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(25), "no second wait");

        own.heardCommit(16, 15, new long[] {4}); // announcements flow again, past the tid given up on
        own.committed(18, 17, new long[] {5});
        Thread listener = later(() -> own.heardCommit(17, 16, new long[] {6}));
        Changes changes = own.since(16, TimeUnit.SECONDS.toNanos(30));
        listener.join();
        assertEquals(List.of(17L, 18L), tids(changes), "polls wait again once the listener caught up");
    }
}
