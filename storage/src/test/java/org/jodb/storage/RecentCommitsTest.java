package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;

import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory tail of commits: what it answers, when it must say "not covered", and the log beyond it. */
class RecentCommitsTest {

    @TempDir
    Path dir;

    @Test
    void answersTheCommitsAfterATidOldestFirst() {
        RecentCommits recent = new RecentCommits();
        recent.add(10, new long[]{1, 2});
        recent.add(20, new long[]{3});
        recent.add(30, new long[]{1});
        List<CommittedTransaction> after = recent.after(10);
        assertEquals(2, after.size());
        assertEquals(20, after.get(0).tid());
        assertArrayEquals(new long[]{1}, after.get(1).oids());
        assertEquals(List.of(), recent.after(30));
    }

    @Test
    void isNotCoveredBeforeItsOldestCommitOrPastItsCapacity() {
        RecentCommits recent = new RecentCommits();
        recent.add(10, new long[]{1});
        assertNull(recent.after(5), "commits before open are not known here");
        for (int i = 0; i < RecentCommits.CAPACITY; i++) {
            recent.add(11 + i, new long[]{2});
        }
        assertNull(recent.after(10), "the commit right after tid 10 was overwritten");
        assertEquals(1, recent.after(11 + RecentCommits.CAPACITY - 2).size());
    }

    @Test
    void aCommitOfTooManyOidsIsNotCovered() {
        RecentCommits recent = new RecentCommits();
        recent.add(10, new long[]{1});
        recent.add(20, new long[RecentCommits.MAX_OIDS + 1]);
        recent.add(30, new long[]{1});
        assertNull(recent.after(10));
        assertEquals(1, recent.after(20).size());
    }

    @Test
    void transactionsAfterReadsTheLogForCommitsOlderThanItKeeps() {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, StorageOptions.builder().indexCapacity(1_000).build())) {
            long oid = storage.newOid();
            long serial = commit(storage, oid, Storage.NO_TID, 0);
            long start = serial;
            for (int i = 0; i < RecentCommits.CAPACITY + 5; i++) {
                serial = commit(storage, oid, serial, i);
            }
            List<CommittedTransaction> after = storage.transactionsAfter(start);
            assertEquals(RecentCommits.CAPACITY + 5, after.size());
            assertEquals(serial, after.get(after.size() - 1).tid());
            assertArrayEquals(new long[]{oid}, after.get(0).oids());
            assertEquals(RecentCommits.CAPACITY - 1, storage.transactionsAfter(after.get(5).tid()).size());
            assertEquals(List.of(), storage.transactionsAfter(serial));
        }
    }

    private static long commit(Storage storage, long oid, long serial, int value) {
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, serial, new byte[]{(byte) value});
        txn.vote();
        return txn.finish();
    }
}
