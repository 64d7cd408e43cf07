package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.index.IndexSurgery;
import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MappedFileStorage#loadAllAt} where the file store differs from one load after another: damage of one
 * record fails the batch naming that oid and the place, and an index trusted from disk that lost an entry is
 * rebuilt once and the batch answered whole. (What every storage must do is in the contract test.)
 */
class BatchReadsTest {

    private static final int OBJECTS = 30;

    @TempDir
    Path dir;

    private static StorageOptions options() {
        return StorageOptions.builder().segmentSize(1 << 16).indexCapacity(1_000).build();
    }

    private static long commit(Storage s, long oid, long serial, String data) {
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, serial, data.getBytes());
        txn.vote();
        return txn.finish();
    }

    /** Objects 1 to {@link #OBJECTS}, each in a transaction of its own, newest oid first; closed cleanly. */
    private long[] makeStore() {
        long[] oids = new long[OBJECTS];
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            for (int i = 0; i < OBJECTS; i++) {
                oids[i] = s.newOid();
            }
            for (int i = OBJECTS - 1; i >= 0; i--) {
                commit(s, oids[i], Storage.NO_TID, "v" + oids[i]);
            }
        }
        return oids;
    }

    @Test
    void aDamagedRecordFailsTheBatchNamingItsOidAndPlaceAndTheOthersStillRead() throws IOException {
        long[] oids = makeStore();
        long damaged = oids[OBJECTS / 2];
        long position;
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            position = s.hooks().index().get(damaged).position();
        }
        flipDataByte(position);
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            CorruptStorageException e = assertThrows(CorruptStorageException.class,
                    () -> s.loadAllAt(oids, s.lastTid()));
            String m = e.getMessage();
            assertTrue(m.startsWith("cannot load oid " + damaged + " (one of " + OBJECTS + " in one batch)"), m);
            assertTrue(m.contains(Segment.fileName(LogPosition.segment(position))) && m.contains("CRC32C mismatch"),
                    m);
            long[] others = new long[OBJECTS - 1];
            for (int i = 0, j = 0; i < OBJECTS; i++) {
                if (oids[i] != damaged) {
                    others[j++] = oids[i];
                }
            }
            Revision[] found = s.loadAllAt(others, s.lastTid());
            for (int i = 0; i < others.length; i++) {
                assertArrayEquals(("v" + others[i]).getBytes(), found[i].data());
            }
        }
    }

    @Test
    void anIndexFromDiskThatLostAnEntryIsRebuiltOnceAndTheBatchAnsweredWhole() {
        long[] oids = makeStore();
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertTrue(s.openedFromIndex());
            IndexSurgery.lose(s.hooks().index(), oids[3]);
            IndexSurgery.lose(s.hooks().index(), oids[7]);
            Revision[] found = s.loadAllAt(oids, s.lastTid());
            for (int i = 0; i < OBJECTS; i++) {
                assertEquals(oids[i], found[i].oid());
                assertArrayEquals(("v" + oids[i]).getBytes(), found[i].data());
            }
            assertEquals(1, s.hooks().indexRebuilds(), "the rebuilt index knew both");
            assertNull(s.loadAllAt(new long[]{100_000}, s.lastTid())[0], "an oid never handed out is a genuine miss");
            assertEquals(1, s.hooks().indexRebuilds());
        }
    }

    @Test
    void olderRevisionsAreFoundThroughTheirNewerOnesAfterAReopen() {
        long[] oids = makeStore();
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            long before = s.lastTid();
            long serial = s.load(oids[0]).tid();
            for (int round = 1; round <= 3; round++) {
                serial = commit(s, oids[0], serial, "v" + oids[0] + "." + round);
            }
            Revision[] then = s.loadAllAt(new long[]{oids[1], oids[0]}, before);
            assertArrayEquals(("v" + oids[0]).getBytes(), then[1].data(), "three revisions back");
            Revision[] now = s.loadAllAt(new long[]{oids[0]}, s.lastTid());
            assertArrayEquals(("v" + oids[0] + ".3").getBytes(), now[0].data());
            assertEquals(serial, now[0].tid());
            assertTrue(then[1].tid() < now[0].tid());
        }
    }

    /** Flips the first data byte of the record at {@code position}: only its CRC can tell. */
    private void flipDataByte(long position) throws IOException {
        Path file = dir.resolve(Segment.fileName(LogPosition.segment(position)));
        int at = LogPosition.offset(position) + LogLayout.DATA_HEADER_SIZE;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x40));
            b.rewind();
            ch.write(b, at);
        }
    }
}
