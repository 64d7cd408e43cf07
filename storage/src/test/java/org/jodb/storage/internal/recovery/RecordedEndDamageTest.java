package org.jodb.storage.internal.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.storage.StoreFiles;
import org.jodb.storage.internal.log.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to the last transaction of a store that crashed, when {@code index.meta} records that transaction
 * as durable (it was the last one when the store was opened): no later record proves the damage, but the
 * side file does, and open refuses. It must refuse before it changes anything: recovery used to cut the
 * damaged record as a torn tail (zeroing it, forcing the zeros) and only then find the log shorter than the
 * side file records, so the refusal came after the acknowledged commit's bytes were gone.
 */
class RecordedEndDamageTest {

    @TempDir
    Path tmp;

    @Test
    void damageBeforeTheRecordedEndIsRefusedBeforeAnythingIsCut() throws IOException {
        Path dir = tmp.resolve("store");
        StorageOptions options = StorageOptions.builder().segmentSize(8192).indexCapacity(1_000).build();
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options)) {
            for (int i = 0; i < 3; i++) {
                StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
                txn.store(storage.newOid(), Storage.NO_TID, new byte[200]);
                txn.vote();
                txn.finish();
            }
        }
        Path image = tmp.resolve("crashed");
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options)) {
            StoreFiles.copyCrashImage(dir, image); // index.meta says "open", lastTid = the third commit
        }
        Path segment = image.resolve(Segment.fileName(1));
        int lastDataByte = lastNonZero(segment) - 20; // inside the third transaction's data
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{0x5a}), lastDataByte);
        }
        byte[] damaged = Files.readAllBytes(segment);
        CorruptStorageException e = assertThrows(CorruptStorageException.class,
                () -> MappedFileStorage.open(image, options).close());
        assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
        assertArrayEquals(damaged, Files.readAllBytes(segment), "a refused open changed the log");
    }

    private static int lastNonZero(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int i = bytes.length - 1;
        while (bytes[i] == 0) {
            i--;
        }
        return i;
    }
}
