package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pack failing at its commit point. Forcing {@code pack.commit} can fail after its bytes were written (an I/O
 * error; on ext4 with delayed allocation also a full disk, which is when packs tend to fail): the file is then
 * complete in the page cache. A pack that reports "nothing changed" must not leave it there, or the next open
 * finishes that pack, deleting the old segments, with them every commit made since.
 */
class PackFaultTest {

    @TempDir
    Path dir;

    private static StorageOptions options() {
        return StorageOptions.builder().segmentSize(4096).indexCapacity(1_000).build();
    }

    private static long commit(Storage storage, Map<Long, byte[]> model, long oid, String text) {
        Revision current = storage.load(oid);
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        txn.store(oid, current == null ? Storage.NO_TID : current.tid(), data);
        txn.vote();
        long tid = txn.finish();
        model.put(oid, data);
        return tid;
    }

    @Test
    void aFailedForceOfPackCommitNeverDeletesTheLogAtTheNextOpen() {
        Map<Long, byte[]> model = new HashMap<>();
        MappedFileStorage storage = MappedFileStorage.open(dir, options());
        for (long oid = 1; oid <= 5; oid++) {
            storage.newOid();
        }
        for (int i = 0; i < 60; i++) {
            commit(storage, model, 1 + i % 5, "v" + i + "-" + "x".repeat(i * 3)); // several segments
        }
        storage.hooks().beforePackCommitForce = () -> {
            throw new UncheckedIOException(new IOException("injected: No space left on device"));
        };
        assertThrows(StorageException.class, () -> storage.pack(storage.lastTid(), (data, refs) -> { }));
        storage.hooks().beforePackCommitForce = () -> { };
        if (!storage.hooks().isClosed()) { // "nothing changed": the store goes on
            commit(storage, model, 3, "after the failed pack");
        }
        storage.close();
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, options())) {
            for (Map.Entry<Long, byte[]> e : model.entrySet()) {
                Revision r = reopened.load(e.getKey());
                assertArrayEquals(e.getValue(), r == null ? null : r.data(), "oid " + e.getKey());
            }
            commit(reopened, model, 2, "after the reopen");
        }
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, options())) {
            assertEquals(5, model.size());
            for (Map.Entry<Long, byte[]> e : model.entrySet()) {
                assertArrayEquals(e.getValue(), reopened.load(e.getKey()).data(), "oid " + e.getKey());
            }
        }
    }

    /**
     * A valid {@code pack.commit} whose output segments are not there (left by a pack that failed before it
     * committed, or copied in) is no commit: open must keep the old segments, which are the log.
     */
    @Test
    void aPackCommitWithoutItsOutputLeavesTheLogAlone() {
        Map<Long, byte[]> model = new HashMap<>();
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            for (long oid = 1; oid <= 5; oid++) {
                storage.newOid();
            }
            for (int i = 0; i < 60; i++) {
                commit(storage, model, 1 + i % 5, "v" + i + "-" + "x".repeat(i * 3));
            }
        }
        int last = org.jodb.storage.internal.recovery.LogRecovery.openSegments(dir).size();
        org.jodb.storage.internal.recovery.PackCommit.write(dir, 1, last, last + 1 + Pack.SEGMENT_ID_GAP,
                last + 1 + Pack.SEGMENT_ID_GAP);
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, options())) {
            for (Map.Entry<Long, byte[]> e : model.entrySet()) {
                Revision r = reopened.load(e.getKey());
                assertArrayEquals(e.getValue(), r == null ? null : r.data(), "oid " + e.getKey());
            }
        }
        assertFalse(java.nio.file.Files.exists(dir.resolve(org.jodb.storage.internal.recovery.PackCommit.FILE_NAME)));
    }
}
