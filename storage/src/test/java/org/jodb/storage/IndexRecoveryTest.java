package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.index.IndexMeta;
import org.jodb.storage.internal.index.OidIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index is derived state: trusted after a clean close, rebuilt from the log otherwise, grown before it fills. */
class IndexRecoveryTest {

    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    private Path indexFile() {
        return OidIndex.file(dir, IndexMeta.read(dir).generation());
    }

    private static StorageOptions options() {
        return StorageOptions.builder().segmentSize(1 << 16).indexCapacity(1_000).build();
    }

    /** Commits {@code count} new objects, {@code perTxn} per transaction; object i holds "v<i>". */
    private static void fill(Storage storage, int count, int perTxn) {
        for (int i = 0; i < count; i += perTxn) {
            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            for (int j = i; j < Math.min(count, i + perTxn); j++) {
                long oid = storage.newOid();
                txn.store(oid, Storage.NO_TID, ("v" + oid).getBytes());
            }
            txn.vote();
            txn.finish();
        }
    }

    private static void assertAllLoad(Storage storage, int count) {
        for (long oid = 1; oid <= count; oid++) {
            assertEquals("v" + oid, new String(storage.load(oid).data()), "oid " + oid);
        }
    }

    @Test
    void cleanReopenTrustsTheIndexWithoutScanningTheLog() {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            assertFalse(storage.openedFromIndex(), "a new store has no index to trust");
            fill(storage, 300, 50);
        }
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            assertTrue(storage.openedFromIndex());
            assertAllLoad(storage, 300);
        }
    }

    @Test
    void missingIndexFileIsRebuiltFromTheLog() throws IOException {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            fill(storage, 300, 50);
        }
        Files.delete(indexFile());
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            assertFalse(storage.openedFromIndex());
            assertAllLoad(storage, 300);
        }
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            assertTrue(storage.openedFromIndex(), "the rebuilt index is trusted next time");
            assertAllLoad(storage, 300);
        }
    }

    @Test
    void damagedIndexFileIsRebuiltFromTheLog() throws IOException {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            fill(storage, 300, 50);
        }
        Files.write(indexFile(), "this is not a chronicle map".getBytes());
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            assertFalse(storage.openedFromIndex());
            assertAllLoad(storage, 300);
        }
    }

    @Test
    void missingOrStaleSideFileMeansRebuild() throws IOException {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            fill(storage, 100, 10);
        }
        Files.delete(dir.resolve(IndexMeta.FILE_NAME));
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            assertFalse(storage.openedFromIndex());
            assertAllLoad(storage, 100);
            fill(storage, 20, 10);
            // a crash now leaves an "open" side file: the copy below is what kill -9 would leave
            Path crashed = elsewhere.resolve("crashed");
            StoreFiles.copyCrashImage(dir, crashed);
            try (MappedFileStorage after = MappedFileStorage.open(crashed, options())) {
                assertFalse(after.openedFromIndex(), "a store that was not closed cleanly rebuilds its index");
                assertAllLoad(after, 120);
            }
        }
    }

    @Test
    void indexGrowsBeforeItFillsAndStaysGrownAfterReopen() {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            fill(storage, 5_000, 250);
            assertAllLoad(storage, 5_000);
            long capacity = storage.hooks().index().capacity();
            assertTrue(capacity >= OidIndex.pagesFor(5_000) / 0.75, "capacity " + capacity);
            // fourfold growth, in pages of 64 oids: 16 -> 64 (at 12 pages, 768 oids) -> 256 (at 48 pages, 3,072
            // oids), each copy made once
            assertEquals(256, storage.hooks().index().capacity());
        }
        IndexMeta meta = IndexMeta.read(dir);
        assertTrue(meta.clean());
        assertEquals(5_000, meta.count());
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            assertTrue(storage.openedFromIndex());
            assertAllLoad(storage, 5_000);
            fill(storage, 1_000, 1_000);
            assertAllLoad(storage, 6_000);
        }
    }

    /**
     * An index (side file and map file) copied in from another store describes another log: its logEnd may fall
     * inside one of this log's committed records. Opening must rebuild the index, never take this log's records
     * for a torn tail and cut them (that lost the last committed transaction), nor refuse the store.
     */
    @Test
    void indexOfAnotherStoreIsRebuiltAndNeverCutsTheLog() throws IOException {
        Path other = elsewhere.resolve("other");
        try (MappedFileStorage storage = MappedFileStorage.open(other, options())) {
            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            txn.store(storage.newOid(), Storage.NO_TID, new byte[200]);
            txn.vote();
            txn.finish();
        }
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            fill(storage, 1, 1);
            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            txn.store(storage.newOid(), Storage.NO_TID, new byte[1_000]);
            txn.vote();
            txn.finish();
        }
        IndexMeta foreign = IndexMeta.read(other);
        for (Path p : Files.list(dir).filter(OidIndex::isIndexFile).toList()) {
            Files.delete(p);
        }
        Files.copy(OidIndex.file(other, foreign.generation()), OidIndex.file(dir, foreign.generation()));
        Files.copy(other.resolve(IndexMeta.FILE_NAME), dir.resolve(IndexMeta.FILE_NAME),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            assertFalse(storage.openedFromIndex(), "an index of another log is not trusted");
            assertEquals("v1", new String(storage.load(1).data()));
            assertEquals(1_000, storage.load(2).data().length, "the last committed transaction survives");
            fill(storage, 1, 1); // appends after the real end, not over the record the foreign end fell into
        }
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            assertTrue(storage.openedFromIndex());
            assertEquals(1_000, storage.load(2).data().length);
            assertEquals("v3", new String(storage.load(3).data()));
        }
    }
}
