package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.log.LogIo;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FORMAT.md invariant (5) across a crash: a store reopened after its process died may hold records that were
 * written but never forced (DEFERRED, or a SYNC commit killed before its force). The first record written
 * after the reopen names the recovered end as durable (its durableAt), so that end must have been forced
 * before the record is written: else a power loss could keep the new record and lose the old ones, and
 * recovery would refuse the torn tail as damage in the committed region.
 */
class ReopenForceTest {

    @TempDir
    Path tmp;

    /** Records each force and write, in order. */
    private static final class RecordingIo implements LogIo {
        final List<String> ops = new CopyOnWriteArrayList<>();

        @Override
        public void write(Segment segment, int offset, byte[] bytes, int from, int length) {
            ops.add("write " + segment.id);
            LogIo.super.write(segment, offset, bytes, from, length);
        }

        @Override
        public void force(Segment segment, int from, int to) {
            ops.add("force " + segment.id + " " + from + " " + to);
            LogIo.super.force(segment, from, to);
        }
    }

    private static void commit(Storage storage, int bytes) {
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(storage.newOid(), Storage.NO_TID, new byte[bytes]);
        txn.vote();
        txn.finish();
    }

    @Test
    void theRecoveredEndIsForcedBeforeARecordNamesItDurable() throws IOException {
        Path dir = tmp.resolve("store");
        StorageOptions deferred = StorageOptions.builder().segmentSize(4096).indexCapacity(1_000)
                .durability(StorageOptions.Durability.DEFERRED).flushIntervalMillis(10_000).build();
        Path image = tmp.resolve("crashed");
        try (MappedFileStorage storage = MappedFileStorage.open(dir, deferred)) {
            for (int i = 0; i < 10; i++) {
                commit(storage, 900); // rolls over: the crash image ends in a segment never forced since
            }
            StoreFiles.copyCrashImage(dir, image);
        }
        RecordingIo io = new RecordingIo();
        StorageOptions sync = StorageOptions.builder().segmentSize(4096).indexCapacity(1_000).build();
        try (MappedFileStorage storage = MappedFileStorage.open(image, sync, io)) {
            long end = storage.hooks().log().committedEnd();
            commit(storage, 10);
            TransactionView[] last = new TransactionView[1];
            storage.hooks().forEachTransaction(txn -> last[0] = txn);
            assertTrue(last[0].durableAt >= end, "the new record names the recovered end durable");
            int firstWrite = 0;
            while (!io.ops.get(firstWrite).startsWith("write ")) {
                firstWrite++;
            }
            String forced = "force " + LogPosition.segment(end) + " 0 ";
            boolean forcedBefore = io.ops.subList(0, firstWrite).stream().anyMatch(op -> op.startsWith(forced));
            assertTrue(forcedBefore, "segment " + LogPosition.segment(end) + " forced before the first write: "
                    + io.ops);
        }
    }

    /**
     * FORMAT.md invariant (7) at the same moment: {@code index.meta} names only durable transactions, so the
     * open that recovered a crashed store must force the recovered end before it writes that end's tid into the
     * side file. Here the force at open fails (as a power loss right after the side file was written would
     * leave it): the disk may then lack the last transaction. Reopening a disk that lost it must cut nothing
     * but the torn tail, not refuse because the side file claims the lost transaction durable.
     */
    @Test
    void theSideFileNamesTheRecoveredEndOnlyOnceItIsForced() throws IOException {
        Path dir = tmp.resolve("store");
        StorageOptions deferred = StorageOptions.builder().segmentSize(4096).indexCapacity(1_000)
                .durability(StorageOptions.Durability.DEFERRED).flushIntervalMillis(10_000).build();
        Path image = tmp.resolve("crashed");
        long lastPosition;
        long tidBefore;
        try (MappedFileStorage storage = MappedFileStorage.open(dir, deferred)) {
            for (int i = 0; i < 10; i++) {
                commit(storage, 900);
            }
            List<TransactionView> all = new java.util.ArrayList<>();
            storage.hooks().forEachTransaction(all::add);
            lastPosition = all.get(all.size() - 1).position;
            tidBefore = all.get(all.size() - 2).tid;
            StoreFiles.copyCrashImage(dir, image);
        }
        FaultyLogIo failingForce = new FaultyLogIo();
        failingForce.failAt(1, true, EnumSet.of(FaultyLogIo.Op.FORCE));
        StorageOptions sync = StorageOptions.builder().segmentSize(4096).indexCapacity(1_000).build();
        assertThrows(StorageException.class, () -> MappedFileStorage.open(image, sync, failingForce).close());
        // The power loss: the last transaction, never forced, did not reach the disk.
        Path segment = image.resolve(Segment.fileName(LogPosition.segment(lastPosition)));
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            long from = LogPosition.offset(lastPosition);
            ch.write(ByteBuffer.allocate((int) (ch.size() - from)), from);
        }
        try (MappedFileStorage storage = MappedFileStorage.open(image, sync)) {
            assertEquals(tidBefore, storage.lastTid(), "the log ends at the last transaction the disk holds");
        }
    }
}
