package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jodb.spi.CommittedTransaction;
import org.jodb.storage.index.OidIndex;
import org.junit.jupiter.api.Test;

/** The in-memory tail of commits: what it answers, and when it must say "not covered". */
class RecentCommitsTest {

    @Test
    void answersTheCommitsAfterATidOldestFirst() {
        RecentCommits recent = new RecentCommits();
        recent.add(10, new long[]{1, 2}, new long[]{100, 200});
        recent.add(20, new long[]{3}, new long[]{300});
        recent.add(30, new long[]{1}, new long[]{400});
        List<CommittedTransaction> after = recent.after(10);
        assertEquals(2, after.size());
        assertEquals(20, after.get(0).tid());
        assertArrayEquals(new long[]{1}, after.get(1).oids());
        assertEquals(List.of(), recent.after(30));
    }

    @Test
    void isNotCoveredBeforeItsOldestCommitOrPastItsCapacity() {
        RecentCommits recent = new RecentCommits();
        recent.add(10, new long[]{1}, new long[]{100});
        assertNull(recent.after(5), "commits before open are not known here");
        for (int i = 0; i < RecentCommits.CAPACITY; i++) {
            recent.add(11 + i, new long[]{2}, new long[]{200});
        }
        assertNull(recent.after(10), "the commit right after tid 10 was overwritten");
        assertEquals(1, recent.after(11 + RecentCommits.CAPACITY - 2).size());
    }

    @Test
    void aCommitOfTooManyOidsIsNotCovered() {
        RecentCommits recent = new RecentCommits();
        recent.add(10, new long[]{1}, new long[]{100});
        recent.add(20, new long[RecentCommits.MAX_OIDS + 1], new long[RecentCommits.MAX_OIDS + 1]);
        recent.add(30, new long[]{1}, new long[]{300});
        assertNull(recent.after(10));
        assertEquals(1, recent.after(20).size());
        assertFalse(recent.applySince(10, new long[]{1}, new OidIndex.Entry[1]));
    }

    @Test
    void correctsLookupsForTheCommitsSinceTheyWereMade() {
        RecentCommits recent = new RecentCommits();
        recent.add(10, new long[]{1, 2}, new long[]{100, 200});
        recent.add(20, new long[]{2, 3}, new long[]{210, 300});
        recent.add(30, new long[]{2}, new long[]{220});
        long[] oids = {1, 2, 4};
        OidIndex.Entry[] found = {new OidIndex.Entry(100, 10), new OidIndex.Entry(200, 10), null};
        assertTrue(recent.applySince(10, oids, found));
        assertEquals(new OidIndex.Entry(100, 10), found[0], "untouched since");
        assertEquals(new OidIndex.Entry(220, 30), found[1], "the newest commit wins");
        assertNull(found[2]);
    }

    @Test
    void forgetsPositionsWhenPackMovesThem() {
        RecentCommits recent = new RecentCommits();
        recent.add(10, new long[]{1}, new long[]{100});
        recent.add(20, new long[]{1}, new long[]{200});
        long mark = recent.packMark();
        recent.clear();
        assertTrue(recent.packMark() != mark);
        assertFalse(recent.applySince(10, new long[]{1}, new OidIndex.Entry[1]));
        assertEquals(1, recent.after(10).size(), "which oids a commit wrote does not change with pack");
    }
}
