package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jodb.spi.Changes;
import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.Revision;
import org.junit.jupiter.api.Test;

/**
 * The records a database's connections share: a cached revision is served only to the snapshots in which it is
 * the revision of its oid, offers that cannot be judged are refused, and the bytes stay within the budget.
 */
class SharedRecordsTest {

    /** A cache whose commits are known up to tid 10, used by two sessions (so records are offered). */
    private static SharedRecords sharing(long budget) {
        SharedRecords shared = new SharedRecords(budget, 10);
        shared.sessionMade(10);
        shared.sessionMade(10);
        return shared;
    }

    private static Revision rev(long oid, long tid) {
        return new Revision(oid, tid, new byte[] {(byte) oid, (byte) tid});
    }

    private static Changes commits(long to, CommittedTransaction... transactions) {
        return new Changes(to, List.of(transactions), true);
    }

    private static CommittedTransaction wrote(long tid, long... oids) {
        return new CommittedTransaction(tid, oids);
    }

    @Test
    void aRevisionServesTheSnapshotsFromItsTidUpToTheCommitsKnown() {
        SharedRecords shared = sharing(1 << 20);
        Revision r = rev(1, 7);
        shared.offer(r, 10);
        assertSame(r, shared.get(1, 10));
        assertSame(r, shared.get(1, 7));
        assertNull(shared.get(1, 6), "a snapshot before the revision's tid reads an older one (or none)");
        assertNull(shared.get(1, 11), "commits after tid 10 are not known yet: one may have written it");
        shared.advance(10, commits(12, wrote(11, 2), wrote(12, 3)));
        assertSame(r, shared.get(1, 12), "the commits up to 12 wrote other objects");
        assertNull(shared.get(2, 12), "nothing cached for an oid never offered");
    }

    @Test
    void aCommitDropsTheOlderRevisionOfWhatItWroteAndKeepsANewerOne() {
        SharedRecords shared = sharing(1 << 20);
        shared.offer(rev(1, 7), 10);
        Revision newer = rev(2, 13);
        shared.offer(newer, 13); // committed by a session before the cache learned of tid 13
        assertNull(shared.get(2, 13), "tid 13 is not known yet");
        shared.advance(10, commits(13, wrote(12, 2), wrote(13, 1, 2)));
        assertNull(shared.get(1, 13), "tid 13 wrote oid 1: its revision of tid 7 is gone");
        assertNull(shared.get(1, 11), "and with it what older snapshots could have read; they ask the storage");
        assertSame(newer, shared.get(2, 13), "tid 12's write is older than the cached revision of tid 13");
        assertNull(shared.get(2, 12));
    }

    @Test
    void anOfferACommitAlreadyAppliedMayHaveOverwrittenIsRefused() {
        SharedRecords shared = sharing(1 << 20);
        shared.offer(rev(9, 1), 10);
        shared.advance(10, commits(14, wrote(12, 1), wrote(14, 3)));
        shared.offer(rev(1, 8), 11); // loaded at snapshot 11; tid 12 wrote oid 1 since
        assertNull(shared.get(1, 11));
        assertNull(shared.get(1, 14));
        shared.offer(rev(2, 8), 11); // nothing applied after 11 wrote oid 2
        assertNotNull(shared.get(2, 14));
        shared.offer(rev(4, 5), 9); // loaded before the window of remembered writes begins: cannot be judged
        assertNull(shared.get(4, 9));
        shared.offer(rev(1, 12), 13);
        assertNotNull(shared.get(1, 14), "the revision of tid 12, current at 13, and tid 14 wrote another");
    }

    @Test
    void aGapInTheCommitsOrChangesTheStorageCannotListEmptyTheCache() {
        SharedRecords shared = sharing(1 << 20);
        shared.offer(rev(1, 7), 10);
        shared.advance(12, commits(15, wrote(15, 2))); // commits 11 and 12 were never told
        assertEquals(0, shared.size());
        assertEquals(15, shared.known());
        shared.offer(rev(1, 7), 15);
        shared.advance(15, Changes.unknown(16));
        assertEquals(0, shared.size());
        assertEquals(16, shared.known());
        shared.offer(rev(1, 7), 15);
        assertEquals(0, shared.size(), "loaded at 15: whether 16 wrote it is not known");
    }

    @Test
    void theBytesStayWithinTheBudgetAndTheRecordsReadStay() {
        long perEntry = 2 + SharedRecords.ENTRY_OVERHEAD;
        SharedRecords shared = sharing(100 * perEntry);
        for (long oid = 0; oid < 50; oid++) {
            shared.offer(rev(oid, 5), 10);
        }
        for (long oid = 50; oid < 1_000; oid++) {
            if (oid % 5 == 0) {
                for (long hot = 0; hot < 50; hot++) {
                    assertNotNull(shared.get(hot, 10), "read since the hand last passed it: kept");
                }
            }
            shared.offer(rev(oid, 5), 10);
            assertTrue(shared.bytes() <= 100 * perEntry, shared.bytes() + " bytes after oid " + oid);
        }
        assertTrue(shared.size() < 100);
        int cold = 0;
        for (long oid = 50; oid < 900; oid++) {
            cold += shared.get(oid, 10) != null ? 1 : 0;
        }
        assertTrue(cold < 50, "the records never read went first: " + cold + " of them left");
        assertEquals(shared.size() * perEntry, shared.bytes());
    }

    @Test
    void oneSessionOffersNothingAndNoneCachesNothing() {
        SharedRecords alone = new SharedRecords(1 << 20, 10);
        alone.sessionMade(10);
        alone.offer(rev(1, 7), 10);
        assertEquals(0, alone.size(), "one connection has nobody to share with");
        SharedRecords none = new SharedRecords(0, 10);
        none.sessionMade(10);
        none.sessionMade(10);
        none.offer(rev(1, 7), 10);
        assertEquals(0, none.size(), "a budget of 0 caches nothing");
    }
}
