package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ServiceLoader;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageProvider;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.spi.UnsupportedFormatException;
import org.jodb.storage.internal.log.LogLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What open refuses, and how clearly: foreign files, newer formats, a second opener, missing segments. */
class OpenRefusalTest {

    @TempDir
    Path dir;

    private static StorageOptions options() {
        return StorageOptions.builder().segmentSize(4096).indexCapacity(1_000).build();
    }

    private void commitSomething() {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            txn.store(storage.newOid(), Storage.NO_TID, "x".getBytes());
            txn.vote();
            txn.finish();
        }
    }

    @Test
    void aFileThatIsNotASegmentIsRefusedNamingIt() throws IOException {
        Files.write(dir.resolve("log-00000001.seg"), new byte[8192]);
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> MappedFileStorage.open(dir, options()));
        assertTrue(e.getMessage().contains("log-00000001.seg") && e.getMessage().contains("not a jodb"), e.getMessage());
    }

    @Test
    void aPlainFileIsNotAStore() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "hello");
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> MappedFileStorage.open(file));
        assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
    }

    @Test
    void aNonEmptyDirectoryWithoutAStoreIsRefusedNamingWhatItHolds() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Files.createDirectory(dir.resolve("photos"));
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> MappedFileStorage.open(dir, options()));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("notes.txt, photos/")
                && e.getMessage().contains("empty or missing directory"), e.getMessage());
        try (var left = Files.list(dir)) {
            assertEquals(2, left.count(), "nothing was created: no lock, no segment");
        }
    }

    @Test
    void aMissingOrEmptyDirectoryBecomesAStoreAndForeignFilesBesideAStoreAreIgnored() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        MappedFileStorage.open(empty, options()).close();
        MappedFileStorage.open(dir.resolve("missing").resolve("nested"), options()).close();
        Files.writeString(empty.resolve("README.txt"), "the store of the shop");
        MappedFileStorage.open(empty, options()).close();
        Files.delete(empty.resolve("log-00000001.seg")); // no segment left: no longer recognisably a store
        CorruptStorageException e = assertThrows(CorruptStorageException.class,
                () -> MappedFileStorage.open(empty, options()));
        assertTrue(e.getMessage().contains("README.txt"), e.getMessage());
    }

    @Test
    void aNewerFormatIsRefusedWithTheVersions() throws IOException {
        commitSomething();
        Path segment = dir.resolve("log-00000001.seg");
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(2).putShort(0, (short) (LogLayout.FORMAT_READ_VERSION + 1)), 8);
        }
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> MappedFileStorage.open(dir, options()));
        assertTrue(e.getMessage().contains(segment.toString())
                && e.getMessage().contains("version " + (LogLayout.FORMAT_READ_VERSION + 1)), e.getMessage());
    }

    @Test
    void aStoreOfFormat1IsRefusedWithTheRemedyAndLeftAlone() throws IOException {
        commitSomething();
        Path segment = dir.resolve("log-00000001.seg");
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(LogLayout.SEGMENT_HEADER_SIZE);
            ch.read(header, 0);
            header.putShort(8, (short) 1).putShort(10, (short) 1); // what format 1 wrote, with a valid CRC
            header.putInt(60, LogLayout.crc(header.array(), 0, 60));
            ch.write(header.rewind(), 0);
        }
        byte[] before = Files.readAllBytes(segment);
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> MappedFileStorage.open(dir, options()));
        String m = e.getMessage();
        assertTrue(m.contains(segment.toString()) && m.contains("read version 1")
                && m.contains("copy its objects into a new store"), m);
        assertArrayEquals(before, Files.readAllBytes(segment), "nothing is written before the refusal");
    }

    @Test
    void aMissingSegmentIsRefused() throws IOException {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            for (int i = 0; i < 5; i++) {
                StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
                txn.store(storage.newOid(), Storage.NO_TID, new byte[3000]);
                txn.vote();
                txn.finish();
            }
        }
        Files.delete(dir.resolve("log-00000002.seg"));
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> MappedFileStorage.open(dir, options()));
        assertTrue(e.getMessage().contains("log-00000002.seg"), e.getMessage());
    }

    @Test
    void aMissingLastSegmentIsRefusedNotSilentlyLost() throws IOException {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            for (int i = 0; i < 3; i++) {
                StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
                txn.store(storage.newOid(), Storage.NO_TID, new byte[3000]);
                txn.vote();
                txn.finish();
            }
        }
        Files.delete(dir.resolve("log-00000003.seg"));
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> MappedFileStorage.open(dir, options()));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void aStoreIsOpenedOnlyOnceInAProcess() {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            StorageException e = assertThrows(StorageException.class, () -> MappedFileStorage.open(dir, options()));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            assertFalse(storage.hooks().isClosed(), "the refused second open must not disturb the first");
        }
        MappedFileStorage.open(dir, options()).close();
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        StorageProvider provider = ServiceLoader.load(StorageProvider.class).findFirst().orElseThrow();
        try (Storage storage = provider.open(dir.resolve("via-provider"))) {
            assertEquals(MappedFileStorage.class, storage.getClass());
        }
    }
}
