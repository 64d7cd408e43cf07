package org.jodb.storage;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.jodb.spi.Storage;
import org.jodb.spi.StorageContractTest;
import org.junit.jupiter.api.io.TempDir;

/** The shared storage contract against {@link MappedFileStorage} with small, but not tiny, segments. */
class MappedFileStorageContractTest extends StorageContractTest {

    @TempDir
    Path tmp;
    private final AtomicInteger stores = new AtomicInteger();

    /** The options every store of this test is opened with. */
    protected StorageOptions options() {
        return StorageOptions.builder().segmentSize(1 << 20).indexCapacity(10_000).build();
    }

    @Override
    protected Storage newStorage() {
        return MappedFileStorage.open(tmp.resolve("store-" + stores.incrementAndGet()), options());
    }

    @Override
    protected boolean reopenable() {
        return true;
    }

    @Override
    protected Storage reopen(Storage storage) {
        storage.close();
        return MappedFileStorage.open(((MappedFileStorage) storage).directory(), options());
    }
}
