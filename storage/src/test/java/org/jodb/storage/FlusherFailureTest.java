package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.locks.LockSupport;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.log.LogIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DEFERRED durability: the flusher's force fails while a pack holds the pack lock, and the pack then fails
 * after its commit point and closes the storage. The flusher must not wait for the pack lock (close joins the
 * flusher while holding it, which used to stall close for its 10-second bound), and nothing acknowledged is
 * lost.
 */
class FlusherFailureTest {

    @TempDir
    Path dir;

    private static long commit(Storage s, long oid, byte[] data) {
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, Storage.NO_TID, data);
        txn.vote();
        return txn.finish();
    }

    @Test
    void aFlusherThatFailsWhilePackRunsLeavesTheCloseToThePack() throws Exception {
        FaultyLogIo io = new FaultyLogIo();
        StorageOptions options = StorageOptions.builder().indexCapacity(1_000)
                .durability(StorageOptions.Durability.DEFERRED).flushIntervalMillis(10_000).build();
        MappedFileStorage storage = MappedFileStorage.open(dir, options, io);
        long root = storage.newOid();
        commit(storage, root, "root".getBytes());
        long oid = storage.newOid();
        commit(storage, oid, "acknowledged, not forced yet".getBytes());
        boolean[] flusherStillRunning = {true};
        storage.hooks().atPackCommitPoint = () -> {
            io.failAt(1, true, EnumSet.of(FaultyLogIo.Op.FORCE));
            LockSupport.unpark(storage.hooks().flusher()); // flush now: it fails
            try {
                storage.hooks().flusher().join(30_000); // returns at once unless the flusher waits for this pack
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flusherStillRunning[0] = storage.hooks().flusher().isAlive();
            throw new IllegalStateException("injected: pack fails after its commit point");
        };

        StorageException e = assertThrows(StorageException.class, () -> storage.pack(storage.lastTid(), (r, refs) -> { }));
        assertTrue(e.getMessage().contains("after its commit point"), e.getMessage());
        assertTrue(io.fired() > 0, "the flusher's force failed");
        assertFalse(flusherStillRunning[0], "the failed flusher must not wait for the pack lock");
        assertTrue(storage.hooks().isClosed(), "the pack closed the broken storage");
        storage.close(); // idempotent

        try (MappedFileStorage reopened = MappedFileStorage.open(dir, options, LogIo.REAL)) {
            assertArrayEquals("acknowledged, not forced yet".getBytes(), reopened.load(oid).data());
            assertEquals(1, reopened.history(oid, 10).size());
        }
    }
}
