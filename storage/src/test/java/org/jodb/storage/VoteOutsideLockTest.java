package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vote looks its oids up before it takes the commit lock; a commit that slips in between must still be
 * seen: as a conflict, or as the revision the new one follows.
 */
class VoteOutsideLockTest {

    @TempDir
    Path dir;

    @Test
    void aCommitBetweenTheLookupsAndTheLockIsAConflict() {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, StorageOptions.builder().indexCapacity(1_000).build())) {
            long oid = storage.newOid();
            long first = commit(storage, oid, Storage.NO_TID, 1);
            StorageTransaction late = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            late.store(oid, first, new byte[]{2});
            storage.beforeCommitLock = once(() -> commit(storage, oid, first, 3));
            StorageConflictException e = assertThrows(StorageConflictException.class, late::vote);
            late.abort();
            assertEquals(first, e.readSerial());
            assertEquals(storage.lastTid(), e.currentSerial());
            assertEquals(3, storage.load(oid).data()[0]);
        }
    }

    @Test
    void aReadCheckSeesACommitBetweenTheLookupsAndTheLock() {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, StorageOptions.builder().indexCapacity(1_000).build())) {
            long read = storage.newOid();
            long written = storage.newOid();
            long first = commit(storage, read, Storage.NO_TID, 1);
            StorageTransaction late = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            late.checkCurrent(read, first);
            late.store(written, Storage.NO_TID, new byte[]{9});
            storage.beforeCommitLock = once(() -> commit(storage, read, first, 2));
            StorageConflictException e = assertThrows(StorageConflictException.class, late::vote);
            late.abort();
            assertEquals(true, e.isReadConflict());
        }
    }

    @Test
    void aResolvedWriteAfterACommitBetweenTheLookupsAndTheLockChainsToIt() {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, StorageOptions.builder().indexCapacity(1_000).build())) {
            long mine = storage.newOid();
            long first = commit(storage, mine, Storage.NO_TID, 1);
            ConflictResolver keepMine = (oid, old, committed, newer) -> newer;
            StorageTransaction late = storage.tpcBegin(new TransactionMetadata("", ""), keepMine);
            late.store(mine, first, new byte[]{2});
            long[] between = new long[1];
            storage.beforeCommitLock = once(() -> between[0] = commit(storage, mine, first, 3));
            assertEquals(List.of(mine), java.util.Arrays.stream(late.vote()).boxed().toList());
            long tid = late.finish();
            // history walks the prev pointers: the new revision must follow the one committed in between
            List<RevisionInfo> history = storage.history(mine, 10);
            assertEquals(List.of(tid, between[0], first), history.stream().map(RevisionInfo::tid).toList());
            assertEquals(2, storage.load(mine).data()[0]);
            List<CommittedTransaction> after = storage.transactionsAfter(first);
            assertEquals(List.of(between[0], tid), after.stream().map(CommittedTransaction::tid).toList());
        }
    }

    @Test
    void transactionsAfterReadsTheLogForCommitsOlderThanItKeeps() {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, StorageOptions.builder().indexCapacity(1_000).build())) {
            long oid = storage.newOid();
            long serial = commit(storage, oid, Storage.NO_TID, 0);
            long start = serial;
            for (int i = 0; i < RecentCommits.CAPACITY + 5; i++) {
                serial = commit(storage, oid, serial, (byte) i);
            }
            List<CommittedTransaction> after = storage.transactionsAfter(start);
            assertEquals(RecentCommits.CAPACITY + 5, after.size());
            assertEquals(serial, after.get(after.size() - 1).tid());
            assertEquals(List.of(), storage.transactionsAfter(serial));
        }
    }

    private static Runnable once(Runnable r) {
        boolean[] ran = {false};
        return () -> {
            if (!ran[0]) {
                ran[0] = true;
                r.run();
            }
        };
    }

    private static long commit(Storage storage, long oid, long serial, int value) {
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, serial, new byte[]{(byte) value});
        txn.vote();
        return txn.finish();
    }
}
