package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.index.IndexMeta;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.index.OneEntryPerOidIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store closed by a jodb whose index held one entry per oid (index.meta version 2) opens with this one: its
 * index is rebuilt from the log into pages of oids (FORMAT.md 4, 5), every object reads right, and the next
 * clean open trusts the new index.
 */
class OneEntryPerOidIndexTest {

    @TempDir
    Path dir;

    private static StorageOptions options() {
        return StorageOptions.builder().segmentSize(1 << 16).indexCapacity(1_000).build();
    }

    @Test
    void aStoreWithTheIndexOfOneEntryPerOidIsRebuiltAndReadsEveryObject() throws IOException {
        int objects = 500;
        Map<Long, long[]> entries = new HashMap<>();
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            txn.store(Storage.ROOT_OID, Storage.NO_TID, "root".getBytes());
            txn.vote();
            txn.finish();
            for (int i = 0; i < objects; i += 100) {
                txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
                for (int j = 0; j < 100; j++) {
                    long oid = s.newOid();
                    txn.store(oid, Storage.NO_TID, ("v" + oid + ".0").getBytes());
                }
                txn.vote();
                txn.finish();
            }
            txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            for (long oid = 1; oid <= objects; oid += 7) {
                txn.store(oid, s.load(oid).tid(), ("v" + oid + ".1").getBytes());
            }
            txn.vote();
            txn.finish();
            s.hooks().index().forEach((oid, position, tid) -> entries.put(oid, new long[]{position, tid}));
        }
        assertEquals(objects + 1, entries.size());
        int generation = IndexMeta.read(dir).generation();
        OneEntryPerOidIndex.write(dir, entries, generation);
        assertEquals(null, IndexMeta.read(dir), "a side file of version 2 reads as none: rebuild");

        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertFalse(s.openedFromIndex(), "the index of one entry per oid is rebuilt from the log");
            assertAllRead(s, objects);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.filter(OidIndex::isIndexFile).count(), "the old index file is deleted");
        }
        IndexMeta rebuilt = IndexMeta.read(dir);
        assertNotNull(rebuilt);
        assertTrue(rebuilt.generation() > generation, "a new generation");
        assertEquals(objects + 1, rebuilt.count());
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertTrue(s.openedFromIndex(), "the rebuilt index is trusted at the next clean open");
            assertAllRead(s, objects);
        }
    }

    /** Every object, one at a time and as one batch, holds its newest data. */
    private static void assertAllRead(MappedFileStorage s, int objects) {
        assertArrayEquals("root".getBytes(), s.load(Storage.ROOT_OID).data());
        long[] oids = LongStream.rangeClosed(1, objects).toArray();
        Revision[] batch = s.loadAllAt(oids, s.lastTid());
        for (long oid = 1; oid <= objects; oid++) {
            String expected = "v" + oid + (oid % 7 == 1 ? ".1" : ".0");
            assertEquals(expected, new String(s.load(oid).data()), "oid " + oid);
            assertEquals(expected, new String(batch[(int) oid - 1].data()), "oid " + oid + " in the batch");
        }
    }
}
