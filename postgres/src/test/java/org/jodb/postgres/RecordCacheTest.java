package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jodb.spi.Revision;
import org.junit.jupiter.api.Test;

/** The record cache serves a revision only to the snapshots at which it is the newest, however commits arrive. */
class RecordCacheTest {
    private static final long MB = 1 << 20;

    private static byte[] bytes(int b) {
        return new byte[] {(byte) b};
    }

    private static void assertServes(RecordCache cache, long oid, long snapshot, long tid, int b) {
        Revision r = cache.get(oid, snapshot);
        assertEquals(tid, r == null ? -1 : r.tid(), "the revision of oid " + oid + " at " + snapshot);
        assertArrayEquals(bytes(b), r.data());
    }

    @Test
    void aCommitsRecordsServeTheSnapshotsFromItsTidToTheLastCommitApplied() {
        RecordCache cache = new RecordCache(MB);
        cache.committed(10, 5, new long[] {1, 2}, new byte[][] {bytes(1), bytes(2)});
        assertServes(cache, 1, 10, 10, 1);
        assertNull(cache.get(1, 9), "before the commit the revision was another");
        assertNull(cache.get(1, 11), "a commit after 10 may not have been applied yet");
        cache.committed(12, 10, new long[] {2}, new byte[][] {bytes(3)});
        assertServes(cache, 1, 12, 10, 1);
        assertServes(cache, 2, 12, 12, 3);
        assertNull(cache.get(2, 11), "the older revision of 2 was replaced");
    }

    @Test
    void aCommitWithoutItsRecordsDropsTheRevisionsItReplaced() {
        RecordCache cache = new RecordCache(MB);
        cache.committed(10, 5, new long[] {1, 2}, new byte[][] {bytes(1), bytes(2)});
        cache.committed(11, 10, new long[] {1}, null);
        assertNull(cache.get(1, 11));
        assertServes(cache, 2, 11, 10, 2);
    }

    @Test
    void aCommitHeardBeforeTheOneItFollowsWaitsForIt() {
        RecordCache cache = new RecordCache(MB);
        cache.committed(10, 5, new long[] {1}, new byte[][] {bytes(1)});
        cache.committed(12, 11, new long[] {1}, new byte[][] {bytes(3)}); // 11 not heard yet
        assertEquals(10, cache.through());
        assertServes(cache, 1, 10, 10, 1);
        assertNull(cache.get(1, 12));
        cache.committed(11, 10, new long[] {2}, new byte[][] {bytes(2)});
        assertEquals(12, cache.through());
        assertServes(cache, 1, 12, 12, 3);
        assertServes(cache, 2, 12, 11, 2);
        cache.committed(11, 10, new long[] {2}, new byte[][] {bytes(2)}); // heard again: applied already
        assertEquals(12, cache.through());
    }

    @Test
    void aCommitKnownByItsTidAloneEmptiesTheCache() {
        RecordCache cache = new RecordCache(MB);
        cache.committed(10, 5, new long[] {1}, new byte[][] {bytes(1)});
        cache.unknown(11);
        assertEquals(0, cache.size());
        assertEquals(11, cache.through());
        cache.committed(12, 11, new long[] {2}, new byte[][] {bytes(2)});
        assertServes(cache, 2, 12, 12, 2);
        cache.unknown(12); // a tid it applied: nothing is lost
        assertEquals(1, cache.size());
    }

    @Test
    void aChainThatStaysBrokenStartsTheCacheAgain() {
        RecordCache cache = new RecordCache(MB);
        cache.committed(10, 5, new long[] {1}, new byte[][] {bytes(1)});
        for (int i = 0; i <= RecordCache.MAX_WAITING; i++) { // commit 11 never comes
            cache.committed(12 + i, 11 + i, new long[] {100 + i}, new byte[][] {bytes(i)});
        }
        assertNull(cache.get(1, 10), "what was cached before the gap is gone");
        assertEquals(12 + RecordCache.MAX_WAITING, cache.through());
        assertServes(cache, 100 + RecordCache.MAX_WAITING, 12 + RecordCache.MAX_WAITING,
                12 + RecordCache.MAX_WAITING, RecordCache.MAX_WAITING);
    }

    @Test
    void aLoadIsTakenOnlyWhenNoCommitAppliedAfterItsSnapshotWroteItsOid() {
        RecordCache cache = new RecordCache(MB);
        cache.committed(10, 5, new long[] {7}, new byte[][] {bytes(7)});
        cache.committed(11, 10, new long[] {1}, new byte[][] {bytes(1)});
        cache.clear(); // nothing cached; through stays 11, and what came before is no longer judged
        cache.offer(new Revision(2, 3, bytes(2)), 10);
        assertNull(cache.get(2, 11), "a load older than the cache's window cannot be judged");
        cache.committed(12, 11, new long[] {1}, null);
        cache.offer(new Revision(1, 11, bytes(1)), 11); // read at 11, but commit 12 wrote oid 1
        assertNull(cache.get(1, 12), "a revision commit 12 replaced");
        cache.offer(new Revision(3, 4, bytes(3)), 11); // read at 11; no commit after it wrote oid 3
        assertServes(cache, 3, 12, 4, 3);
        cache.offer(new Revision(4, 12, bytes(4)), 12);
        assertServes(cache, 4, 12, 12, 4);
    }

    @Test
    void aLoadOlderThanARevisionTheCacheAppliedIsRefusedWhateverItsSnapshot() {
        RecordCache cache = new RecordCache(MB);
        cache.committed(5, 4, new long[] {9}, new byte[][] {bytes(9)});
        cache.committed(6, 5, new long[] {1}, null); // wrote oid 1, record not known
        // a load that ran before commit 6 (at a snapshot then in the future) offered after it was applied
        cache.offer(new Revision(1, 3, bytes(3)), 8);
        assertNull(cache.get(1, 6), "revision 3 of oid 1 is not the newest at 6");
    }

    @Test
    void whatTheCacheHandsOutAndWhatItIsOfferedAreCopies() {
        RecordCache cache = new RecordCache(MB);
        cache.committed(5, 4, new long[] {9}, new byte[][] {bytes(9)});
        byte[] offered = bytes(1);
        cache.offer(new Revision(1, 3, offered), 5);
        offered[0] = 42;
        cache.get(1, 5).data()[0] = 43;
        assertServes(cache, 1, 5, 3, 1);
    }

    @Test
    void aLoadNewerThanTheCommitsAppliedIsServedOnceTheyAre() {
        RecordCache cache = new RecordCache(MB);
        cache.committed(10, 5, new long[] {9}, new byte[][] {bytes(9)});
        cache.offer(new Revision(1, 12, bytes(2)), 12); // read at 12; commits 11 and 12 not heard yet
        assertNull(cache.get(1, 12));
        cache.committed(11, 10, new long[] {1}, null); // wrote oid 1 before the revision cached: keeps it
        cache.committed(12, 11, new long[] {1}, null);
        assertServes(cache, 1, 12, 12, 2);
    }

    @Test
    void theCacheStaysWithinItsBudgetKeepingTheRecordsReadLately() {
        long budget = 100 * (RecordCache.ENTRY_OVERHEAD + 1);
        RecordCache cache = new RecordCache(budget);
        cache.committed(10, 5, new long[] {0}, new byte[][] {bytes(0)});
        for (int i = 1; i < 1_000; i++) {
            cache.offer(new Revision(i, 3, bytes(i)), 10);
            assertTrue(cache.get(0, 10) != null, "the record read after each offer stays");
        }
        assertTrue(cache.bytes() <= budget, cache.bytes() + " bytes against a budget of " + budget);
        assertTrue(cache.size() > 50, "the sweep keeps most of the budget: " + cache.size());
    }

    @Test
    void aCacheWithoutBudgetHoldsNothingAndANegativeOneIsRefused() {
        RecordCache cache = new RecordCache(0);
        cache.committed(10, 5, new long[] {1}, new byte[][] {bytes(1)});
        cache.offer(new Revision(2, 3, bytes(2)), 10);
        assertEquals(0, cache.size());
        assertNull(cache.get(1, 10));
        assertThrows(IllegalArgumentException.class, () -> new RecordCache(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresOptions.defaults().withRecordCacheBytes(-1));
        assertTrue(e.getMessage().contains("0 turns it off"), e.getMessage());
    }
}
