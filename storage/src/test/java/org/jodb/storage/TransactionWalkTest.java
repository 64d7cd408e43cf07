package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.spi.TransactionRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store's forward walk ({@link TransactionWalk}) across many segments, from the start and from the
 * middle, and a walk that a pack interrupts: it goes on in the packed log after the last tid it returned.
 */
class TransactionWalkTest {

    @TempDir
    Path dir;

    private static final StorageOptions SMALL_SEGMENTS =
            StorageOptions.builder().segmentSize(StorageOptions.MIN_SEGMENT_SIZE).indexCapacity(1_000).build();

    /** Commits {@code count} transactions writing one object each, oid 0 first; returns their tids. */
    private static long[] commitMany(MappedFileStorage storage, int count) {
        long[] tids = new long[count];
        long serial = Storage.NO_TID;
        for (int i = 0; i < count; i++) {
            long oid = i == 0 ? Storage.ROOT_OID : storage.newOid();
            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("u" + i, ""), ConflictResolver.NONE);
            txn.store(oid, i == 0 ? serial : Storage.NO_TID, ("object " + i).getBytes(StandardCharsets.UTF_8));
            txn.vote();
            tids[i] = txn.finish();
        }
        return tids;
    }

    private long segments() {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long[] tids(Iterator<TransactionRecords> walk) {
        List<Long> found = new ArrayList<>();
        walk.forEachRemaining(t -> found.add(t.info().tid()));
        return found.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void theWalkCrossesSegmentsFromTheStartAndFromTheMiddle() {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, SMALL_SEGMENTS)) {
            long[] committed = commitMany(storage, 60);
            assertTrue(segments() > 10, "the log spans many segments: " + segments());
            assertArrayEquals(committed, tids(storage.transactions(Storage.NO_TID)));
            long[] tail = java.util.Arrays.copyOfRange(committed, 31, 60);
            assertArrayEquals(tail, tids(storage.transactions(committed[30])));
            Iterator<TransactionRecords> walk = storage.transactions(committed[58]);
            TransactionRecords last = walk.next();
            assertEquals("u59", last.info().user());
            assertEquals("object 59", new String(last.records().get(0).data(), StandardCharsets.UTF_8));
            assertFalse(walk.hasNext());
        }
    }

    @Test
    void aWalkThatAPackInterruptsGoesOnAfterTheLastTidItReturned() {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, SMALL_SEGMENTS)) {
            long[] committed = commitMany(storage, 40);
            Iterator<TransactionRecords> walk = storage.transactions(Storage.NO_TID);
            for (int i = 0; i < 10; i++) {
                assertEquals(committed[i], walk.next().info().tid());
            }
            // Nothing refers to the objects of transactions 1..39 from the root: pack drops them but the newest.
            storage.pack(committed[39], (record, oids) -> { });
            long[] kept = tids(storage.transactions(Storage.NO_TID));
            assertArrayEquals(new long[]{committed[0], committed[39]}, kept);
            assertArrayEquals(new long[]{committed[39]}, tids(walk),
                    "the rest of the walk: what pack kept after the last tid returned");
        }
    }
}
