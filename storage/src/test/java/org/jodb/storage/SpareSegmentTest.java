package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.log.LogIo;
import org.jodb.storage.internal.log.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The next log segment is made ahead of time (FORMAT.md 7.1, step 4): once the current segment of 1 MiB or
 * more is half full, a thread of its own writes and forces {@code log-N.seg.tmp}; the rollover renames it
 * instead of making the segment behind the commit lock. A spare that fails, a full disk, a close, a crash
 * and a pack that moves the log to other ids must each leave the store as if there were no spare.
 */
class SpareSegmentTest {

    private static final int SEGMENT = 1 << 20;
    /** Bytes per object written: about 250 commits fill a segment. */
    private static final int RECORD = 4_000;
    private static final int OBJECTS = 8;
    private static final StorageOptions OPTIONS = StorageOptions.builder().segmentSize(SEGMENT)
            .indexCapacity(1_000).build();

    @TempDir
    Path tmp;

    /** The real operations, counted. */
    private static final class CountingLogIo implements LogIo {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger prepared = new AtomicInteger();

        @Override
        public Segment createSegment(Path dir, String name, int id, int capacity) {
            created.incrementAndGet();
            return LogIo.super.createSegment(dir, name, id, capacity);
        }

        @Override
        public Segment prepareSegment(Path dir, String name, int id, int capacity) {
            prepared.incrementAndGet();
            return LogIo.super.prepareSegment(dir, name, id, capacity);
        }
    }

    @Test
    void theRolloverTakesTheSegmentMadeAheadOfTime() {
        Path dir = tmp.resolve("store");
        CountingLogIo io = new CountingLogIo();
        Map<Long, String> acknowledged = new TreeMap<>();
        try (MappedFileStorage storage = MappedFileStorage.open(dir, OPTIONS, io)) {
            int round = commitUntilSegment(storage, dir, 2, 0, acknowledged);
            assertEquals(1, io.created.get(), "only the first segment was made at a rollover (at creation)");
            assertEquals(1, io.prepared.get(), "segment 2 was made ahead of time, segment 3 not yet");
            assertFalse(Files.exists(dir.resolve(Segment.fileName(2) + ".tmp")), "the spare took its name");
            commit(storage, round + 1, acknowledged);
            assertEquals(acknowledged, state(storage));
        }
        assertEquals(List.of(), leftovers(dir), "close deletes a spare");
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, OPTIONS)) {
            assertEquals(acknowledged, state(reopened));
        }
    }

    @Test
    void aSpareThatCannotBeMadeLeavesTheSegmentToTheRollover() {
        Path dir = tmp.resolve("store");
        FaultyLogIo io = new FaultyLogIo();
        Map<Long, String> acknowledged = new TreeMap<>();
        io.failAt(1, false, EnumSet.of(FaultyLogIo.Op.PREPARE));
        try (MappedFileStorage storage = MappedFileStorage.open(dir, OPTIONS, io)) {
            commitUntilSegment(storage, dir, 2, 0, acknowledged);
            assertEquals(1, io.fired(), "making the spare failed: " + io.lastFault);
            assertFalse(storage.hooks().isClosed());
            assertEquals(acknowledged, state(storage));
        }
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, OPTIONS)) {
            assertEquals(acknowledged, state(reopened));
        }
    }

    @Test
    void aFullDiskFailsOnlyTheCommitThatNeedsTheNextSegment() {
        Path dir = tmp.resolve("store");
        FaultyLogIo io = new FaultyLogIo();
        Map<Long, String> acknowledged = new TreeMap<>();
        try (MappedFileStorage storage = MappedFileStorage.open(dir, OPTIONS, io)) {
            io.failAt(1, true, EnumSet.of(FaultyLogIo.Op.PREPARE, FaultyLogIo.Op.CREATE));
            int round = 0;
            StorageException full = null;
            while (full == null && round < 1_000) {
                try {
                    commit(storage, ++round, acknowledged);
                } catch (StorageException e) {
                    full = e;
                }
            }
            assertTrue(full != null && full.getMessage().contains("No space left on device"),
                    "the commit that needed segment 2 reports the full disk: " + full);
            assertEquals(2, io.fired(), "the spare failed, then the rollover's own attempt: " + io.lastFault);
            assertFalse(storage.hooks().isClosed(), "a full disk leaves the store usable");
            assertEquals(acknowledged, state(storage), "the failed commit left nothing visible");
            io.disarm();
            commit(storage, round + 1, acknowledged);
            assertEquals(acknowledged, state(storage));
            assertTrue(Files.exists(dir.resolve(Segment.fileName(2))));
        }
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, OPTIONS)) {
            assertEquals(acknowledged, state(reopened));
        }
    }

    @Test
    void aCrashLeavesASpareThatOpenDeletes() throws IOException {
        Path dir = tmp.resolve("store");
        Path crash = tmp.resolve("crash");
        Map<Long, String> acknowledged = new TreeMap<>();
        try (MappedFileStorage storage = MappedFileStorage.open(dir, OPTIONS)) {
            int round = 0;
            while (!Files.exists(dir.resolve(Segment.fileName(2) + ".tmp"))) {
                commit(storage, ++round, acknowledged);
            }
            StoreFiles.copyCrashImage(dir, crash); // the spare may be complete or still being written
        }
        assertEquals(List.of(Segment.fileName(2) + ".tmp"), leftovers(crash));
        try (MappedFileStorage reopened = MappedFileStorage.open(crash, OPTIONS)) {
            assertEquals(List.of(), leftovers(crash), "open deletes the spare");
            assertEquals(acknowledged, state(reopened));
            commitUntilSegment(reopened, crash, 2, 1_000, acknowledged);
            assertEquals(acknowledged, state(reopened));
        }
        try (MappedFileStorage reopened = MappedFileStorage.open(crash, OPTIONS)) {
            assertEquals(acknowledged, state(reopened));
        }
    }

    @Test
    void aSpareMadeBeforeAPackIsNotTakenAfterIt() {
        Path dir = tmp.resolve("store");
        CountingLogIo io = new CountingLogIo();
        Map<Long, String> acknowledged = new TreeMap<>();
        try (MappedFileStorage storage = MappedFileStorage.open(dir, OPTIONS, io)) {
            int round = 0;
            while (io.prepared.get() == 0) {
                commit(storage, ++round, acknowledged); // the spare for segment 2 is under way
            }
            storage.pack(storage.lastTid(), (data, oids) -> { // every object refers to all: pack keeps them
                for (long oid = 0; oid < OBJECTS; oid++) {
                    oids.accept(oid);
                }
            });
            int first = storage.hooks().log().ordered().get(0).id;
            assertTrue(first > 2, "pack wrote its output past the spare's id: " + first);
            commitUntilSegment(storage, dir, first + 1, round, acknowledged);
            assertFalse(Files.exists(dir.resolve(Segment.fileName(2))), "the stale spare never took a name");
            assertEquals(acknowledged, state(storage));
        }
        assertEquals(List.of(), leftovers(dir));
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, OPTIONS)) {
            assertEquals(acknowledged, state(reopened));
        }
    }

    /** Commits rounds after {@code round} until segment {@code id} exists; returns the last round. */
    private static int commitUntilSegment(Storage storage, Path dir, int id, int round, Map<Long, String> into) {
        int limit = round + 2_000;
        while (!Files.exists(dir.resolve(Segment.fileName(id)))) {
            assertTrue(round < limit, "segment " + id + " never came");
            commit(storage, ++round, into);
        }
        return round;
    }

    /** Writes a {@link #RECORD}-byte value of round {@code round} into one object. */
    private static void commit(Storage storage, int round, Map<Long, String> into) {
        long oid = round % OBJECTS;
        char[] fill = new char[RECORD];
        Arrays.fill(fill, (char) ('a' + round % 26));
        String value = round + new String(fill);
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        try {
            Revision current = storage.load(oid);
            txn.store(oid, current == null ? Storage.NO_TID : current.tid(), value.getBytes(StandardCharsets.UTF_8));
            txn.vote();
        } catch (RuntimeException e) {
            txn.abort();
            throw e;
        }
        txn.finish();
        into.put(oid, value);
    }

    private static Map<Long, String> state(Storage storage) {
        Map<Long, String> found = new TreeMap<>();
        for (long oid = 0; oid < OBJECTS; oid++) {
            Revision r = storage.load(oid);
            if (r != null) {
                found.put(oid, new String(r.data(), StandardCharsets.UTF_8));
            }
        }
        return found;
    }

    /** Temporary files left in {@code dir}. */
    private static List<String> leftovers(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
