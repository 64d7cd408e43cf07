package org.jodb.storage.internal.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.storage.RecoveryWarnings;
import org.jodb.storage.StoreFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits k transactions, takes the files as a crash would leave them (copied while the store is open),
 * then damages the last transaction at every byte offset: zeroing from there on (the write never reached
 * the disk), flipping one byte (a torn sector), truncating the file. Each reopen must show exactly the state
 * after commit k-1 or after commit k, or refuse with {@link CorruptStorageException}; never anything else.
 * Damage to an earlier, durable transaction must be refused. A cut that drops bytes logs a warning naming
 * where the log now ends (FORMAT.md 8). After H2's TestKillProcessWhileWriting and SQLite's pagerfault.test.
 */
class TornWriteTest {

    private static final int K = 4;
    private static final long[] OIDS = {Storage.ROOT_OID, 1, 2, 3};

    @TempDir
    Path tmp;
    private Path image;
    private Path segment;
    private Map<Long, String> stateBefore;
    private Map<Long, String> stateAfter;
    private long tidBefore;
    private long tidAfter;
    private int lastStart;
    private int lastEnd;
    private int firstStart;
    private RecoveryWarnings warnings;

    private static StorageOptions options() {
        return StorageOptions.builder().segmentSize(8192).indexCapacity(1_000).build();
    }

    @BeforeEach
    void captureWarnings() {
        warnings = RecoveryWarnings.install();
    }

    @AfterEach
    void releaseWarnings() {
        warnings.close();
    }

    @BeforeEach
    void buildCrashImage() throws IOException {
        Path dir = tmp.resolve("store");
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            for (long oid : OIDS) {
                if (oid != Storage.ROOT_OID) {
                    assertEquals(oid, storage.newOid());
                }
            }
            segment = dir.resolve("log-00000001.seg");
            byte[] empty = Files.readAllBytes(segment);
            for (int i = 1; i < K; i++) {
                commitRound(storage, i);
                if (i == 1) {
                    firstStart = firstDifference(empty, Files.readAllBytes(segment));
                }
            }
            stateBefore = state(storage);
            tidBefore = storage.lastTid();
            byte[] before = Files.readAllBytes(segment);
            commitRound(storage, K);
            stateAfter = state(storage);
            tidAfter = storage.lastTid();
            byte[] after = Files.readAllBytes(segment);
            lastStart = firstDifference(before, after);
            lastEnd = lastDifference(before, after) + 1;
            image = tmp.resolve("image");
            StoreFiles.copyCrashImage(dir, image); // the files as a kill -9 right now would leave them
        }
        segment = image.resolve("log-00000001.seg");
        assertTrue(lastEnd - lastStart > 100, "the last transaction spans " + (lastEnd - lastStart) + " bytes");
    }

    private static void commitRound(Storage storage, int round) {
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("u" + round, "round " + round),
                ConflictResolver.NONE);
        for (long oid : OIDS) {
            Revision current = storage.load(oid);
            txn.store(oid, current == null ? Storage.NO_TID : current.tid(), ("oid " + oid + " round " + round).getBytes());
        }
        txn.vote();
        txn.finish();
    }

    private static Map<Long, String> state(Storage storage) {
        Map<Long, String> state = new HashMap<>();
        for (long oid : OIDS) {
            Revision r = storage.load(oid);
            state.put(oid, r == null ? null : new String(r.data()));
        }
        return state;
    }

    @Test
    void zeroingTheTailFromAnyOffsetRecoversTheStateBefore() throws IOException {
        for (int at = lastStart; at < lastEnd; at++) {
            int from = at;
            reopenDamaged("zero from " + at, file -> {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.allocate(lastEnd - from), from);
                }
            }, false);
        }
    }

    @Test
    void flippingAnyByteOfTheLastTransactionRecoversTheStateBefore() throws IOException {
        for (int at = lastStart; at < lastEnd; at++) {
            int where = at;
            reopenDamaged("flip at " + at, file -> flip(file, where), false);
        }
    }

    @Test
    void truncatingTheLastSegmentRecoversOrFailsClearly() throws IOException {
        for (int at = lastStart; at < lastEnd; at += 5) {
            int length = at;
            reopenDamaged("truncate at " + at, file -> {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(length);
                }
            }, true);
        }
    }

    @Test
    void damageInsideTheCommittedRegionIsRefusedNamingFileAndOffset() throws IOException {
        Path work = tmp.resolve("committed-damage");
        StoreFiles.copyCrashImage(image, work);
        flip(work.resolve("log-00000001.seg"), firstStart + 20);
        CorruptStorageException e = assertThrows(CorruptStorageException.class,
                () -> MappedFileStorage.open(work, options()).close());
        assertTrue(e.getMessage().contains("log-00000001.seg") && e.getMessage().contains("offset " + firstStart),
                e.getMessage());
    }

    @Test
    void recoveredStoreAcceptsNewCommitsAndReopensWithThem() throws IOException {
        Path work = tmp.resolve("reuse");
        StoreFiles.copyCrashImage(image, work);
        flip(work.resolve("log-00000001.seg"), lastEnd - 3);
        try (MappedFileStorage storage = MappedFileStorage.open(work, options())) {
            assertEquals(stateBefore, state(storage));
            commitRound(storage, 99);
        }
        try (MappedFileStorage storage = MappedFileStorage.open(work, options())) {
            assertEquals("oid 1 round 99", new String(storage.load(1).data()));
            assertTrue(storage.lastTid() > tidBefore);
        }
    }

    private interface Damage {
        void apply(Path segmentFile) throws IOException;
    }

    private void reopenDamaged(String what, Damage damage, boolean corruptAllowed) throws IOException {
        Path work = tmp.resolve("work");
        StoreFiles.deleteTree(work);
        StoreFiles.copyCrashImage(image, work);
        damage.apply(work.resolve(segment.getFileName()));
        boolean bytesLeft = nonZeroFrom(work.resolve(segment.getFileName()), lastStart);
        MappedFileStorage storage;
        warnings.clear();
        try {
            storage = MappedFileStorage.open(work, options());
        } catch (CorruptStorageException e) {
            if (!corruptAllowed) {
                fail(what + ": a torn last transaction must be cut off, not refused: " + e.getMessage());
            }
            assertTrue(e.getMessage().contains(work.toString()), what + ": message must name the file: " + e);
            return;
        }
        try {
            Map<Long, String> state = state(storage);
            if (state.equals(stateAfter)) {
                assertEquals(tidAfter, storage.lastTid(), what);
            } else {
                assertEquals(stateBefore, state, what + ": neither the state before nor after the last commit");
                assertEquals(tidBefore, storage.lastTid(), what);
                // FORMAT.md 8: a cut that drops bytes says so, naming the tid the log now ends at
                assertEquals(bytesLeft, warnings.messages().stream()
                        .anyMatch(w -> w.contains("ends after transaction " + tidBefore)), what + ": " + warnings.messages());
            }
            assertEquals(state.equals(stateAfter) ? K : K - 1, storage.transactionsAfter(Storage.NO_TID).size(), what);
        } finally {
            storage.close();
        }
    }

    private static boolean nonZeroFrom(Path file, int from) throws IOException {
        if (Files.size(file) <= from) {
            return false;
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return true;
            }
        }
        return false;
    }

    private static void flip(Path file, int at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, at);
        }
    }

    private static int firstDifference(byte[] a, byte[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        throw new AssertionError("no difference");
    }

    private static int lastDifference(byte[] a, byte[] b) {
        for (int i = Math.min(a.length, b.length) - 1; i >= 0; i--) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        throw new AssertionError("no difference");
    }
}
