package org.jodb.storage.internal.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.PackHooks;
import org.jodb.storage.RecoveryWarnings;
import org.jodb.storage.StorageOptions;
import org.jodb.storage.StoreFiles;
import org.jodb.storage.internal.log.Segment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The torn-tail rule of FORMAT.md 8, case by case: what proves a damaged transaction complete (a later record,
 * a later segment, an end marker, a pack finished at open), what a missing first or newest segment gives, and
 * that only a last transaction nothing proves complete is cut, with a warning. Each store commits one object
 * per transaction ({@code oid 1}, the value {@code "v<i>"} padded to 150 bytes), so every record's extent is
 * known from the files.
 */
class TornTailRuleTest {

    private static final StorageOptions SMALL = StorageOptions.builder().segmentSize(2048).indexCapacity(1_000).build();

    @TempDir
    Path tmp;
    private RecoveryWarnings warnings;
    /** Where each transaction's record starts in the image's segment files (segment file, offset). */
    private final List<Object[]> records = new ArrayList<>();

    @BeforeEach
    void captureWarnings() {
        warnings = RecoveryWarnings.install();
    }

    @AfterEach
    void releaseWarnings() {
        warnings.close();
    }

    @Test
    void deletingTheNewestSegmentIsRefusedNamingIt() throws IOException {
        Path image = crashImage(StorageOptions.builder().segmentSize(2048).indexCapacity(1_000).build(), 30);
        Path newest = newestSegment(image);
        Files.delete(newest);
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> open(image));
        assertTrue(e.getMessage().contains(newest.getFileName() + " is missing"), e.getMessage());
    }

    @Test
    void deletingTheNewestSegmentOfACleanlyClosedStoreIsRefused() throws IOException {
        Path dir = tmp.resolve("clean");
        commits(dir, SMALL, 30, false);
        Path newest = newestSegment(dir);
        Files.delete(newest);
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> open(dir));
        assertTrue(e.getMessage().contains(newest.getFileName().toString()), e.getMessage());
    }

    @Test
    void deletingTheFirstSegmentOfACleanlyClosedStoreIsRefusedAtOpen() throws IOException {
        Path dir = tmp.resolve("clean");
        commits(dir, SMALL, 30, false);
        Files.delete(dir.resolve(Segment.fileName(1)));
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> open(dir));
        assertTrue(e.getMessage().contains(Segment.fileName(1) + " is missing"), e.getMessage());
    }

    @Test
    void damageFollowedByACompleteTransactionIsRefusedEvenWhenDurableAtProvesNothing() throws IOException {
        // DEFERRED: no force between the commits, so the last record's durableAt lies before the damaged one
        Path image = crashImage(StorageOptions.builder().segmentSize(1 << 16).indexCapacity(1_000)
                .durability(StorageOptions.Durability.DEFERRED).flushIntervalMillis(10_000).build(), 6);
        Object[] second = records.get(records.size() - 2);
        Path segment = image.resolve((String) second[0]);
        flip(segment, (int) second[1] + 100);
        byte[] damaged = Files.readAllBytes(segment);
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> open(image));
        assertTrue(e.getMessage().contains(segment + " offset " + second[1]), e.getMessage());
        // "after it was whole" unless the flusher happened to force in between ("after it had been forced")
        assertTrue(e.getMessage().contains("was written after it"), e.getMessage());
        assertArrayEquals(damaged, Files.readAllBytes(segment), "a refused open changed the log");
    }

    @Test
    void damageAcrossTheLastTwoTransactionsIsRefused() throws IOException {
        Path image = crashImage(SMALL, 6);
        Object[] second = records.get(records.size() - 2);
        Path segment = image.resolve((String) second[0]);
        int from = (int) second[1] + 60;
        int to = segment.toFile().length() > 0 ? lastNonZero(segment) + 1 : 0;
        byte[] noise = new byte[to - from];
        new Random(7).nextBytes(noise);
        write(segment, from, noise);
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> open(image));
        assertTrue(e.getMessage().contains(segment + " offset " + second[1]), e.getMessage());
    }

    @Test
    void aTornLastTransactionIsCutWithAWarningNamingItsTidAndTheBytesDropped() throws IOException {
        Path image = crashImage(SMALL, 6);
        Object[] last = records.get(records.size() - 1);
        Path segment = image.resolve((String) last[0]);
        int end = lastNonZero(segment) + 1;
        write(segment, end - 8, new byte[8]); // the trailer never reached the disk
        try (MappedFileStorage storage = open(image)) {
            assertEquals("v4", value(storage));
            assertEquals(1, warnings.messages().size(), warnings.messages().toString());
            String warning = warnings.messages().get(0);
            assertTrue(warning.contains("transaction " + last[2]) && warning.contains((end - 8 - (int) last[1])
                    + " bytes (offsets " + last[1]) && warning.contains("ends after transaction " + storage.lastTid()),
                    warning);
        }
    }

    @Test
    void anEmptySegmentAfterOneNotYetClosedIsDeletedAndNothingIsLost() throws IOException {
        Path image = crashImage(SMALL, 3);
        int next = Segment.idOf(newestSegment(image)) + 1;
        Segment.create(image, Segment.fileName(next), next, 2048).close(); // named; its end marker never written
        try (MappedFileStorage storage = open(image)) {
            assertEquals("v2", value(storage));
        }
        assertFalse(Files.exists(image.resolve(Segment.fileName(next))));
        assertTrue(warnings.messages().isEmpty(), warnings.messages().toString());
    }

    @Test
    void damageToTheLastTransactionOfAPackFinishedAtOpenIsRefused() throws IOException {
        Path dir = tmp.resolve("live");
        Path image = tmp.resolve("image");
        try (MappedFileStorage storage = MappedFileStorage.open(dir, SMALL)) {
            for (int i = 0; i < 6; i++) {
                commit(storage, i);
            }
            PackHooks.atCommitPoint(storage, () -> {
                try {
                    StoreFiles.copyCrashImage(dir, image);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            storage.pack(storage.lastTid(), (record, oids) -> { });
        }
        Path output;
        try (var files = Files.list(image)) {
            output = files.filter(p -> p.toString().endsWith(".seg.pack")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        flip(output, lastNonZero(output) - 20);
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> open(image));
        assertTrue(e.getMessage().contains("the whole log is durable"), e.getMessage());
    }

    private Path crashImage(StorageOptions options, int transactions) throws IOException {
        Path dir = tmp.resolve("live");
        commits(dir, options, transactions, true);
        return tmp.resolve("image");
    }

    /** Commits {@code n} transactions; with {@code crash}, copies the files while the store is open. */
    private void commits(Path dir, StorageOptions options, int n, boolean crash) throws IOException {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options)) {
            for (int i = 0; i < n; i++) {
                commit(storage, i);
                records.add(new Object[]{Segment.fileName(newestId(dir)), (int) recordStart(dir), storage.lastTid()});
            }
            if (crash) {
                StoreFiles.copyCrashImage(dir, tmp.resolve("image"));
            }
        }
    }

    /** Where the newest record starts: found from the data record of oid 1 that the index names. */
    private static long recordStart(Path dir) throws IOException {
        Path segment = dir.resolve(Segment.fileName(newestId(dir)));
        byte[] bytes = Files.readAllBytes(segment);
        int end = bytes.length;
        while (bytes[end - 1] == 0) {
            end--;
        }
        // the newest record ends at `end` (or up to 4 bytes later, when its CRC ends in zeros); its data record's
        // txnOffset field, 24 bytes into the data record, names its start
        int dataRecord = end - 8 - 150 - 36;
        for (int at = dataRecord; at >= dataRecord - 4; at--) {
            int txnOffset = ByteBuffer.wrap(bytes).getInt(at + 4 + 24);
            if (txnOffset > 0 && txnOffset < end && ByteBuffer.wrap(bytes).getInt(txnOffset) == 0x4A545852) {
                return txnOffset;
            }
        }
        throw new AssertionError("no record start found in " + segment);
    }

    private static int newestId(Path dir) throws IOException {
        return Segment.idOf(newestSegment(dir));
    }

    private static Path newestSegment(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> Segment.idOf(p) >= 0).max((a, b) -> Integer.compare(Segment.idOf(a),
                    Segment.idOf(b))).orElseThrow();
        }
    }

    private static void commit(Storage storage, int i) {
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        Revision current = storage.load(1);
        if (current == null) {
            assertEquals(1, storage.newOid());
        }
        String value = "v" + i;
        txn.store(1, current == null ? Storage.NO_TID : current.tid(), (value + " ".repeat(150 - value.length())).getBytes());
        txn.vote();
        txn.finish();
    }

    private static String value(Storage storage) {
        return new String(storage.load(1).data()).trim();
    }

    private static MappedFileStorage open(Path dir) {
        return MappedFileStorage.open(dir, SMALL);
    }

    private static int lastNonZero(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int i = bytes.length - 1;
        while (bytes[i] == 0) {
            i--;
        }
        return i;
    }

    private static void flip(Path file, int at) throws IOException {
        byte[] b = new byte[1];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.read(ByteBuffer.wrap(b), at);
        }
        b[0] ^= 0x5A;
        write(file, at, b);
    }

    private static void write(Path file, int at, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), at);
        }
    }
}
