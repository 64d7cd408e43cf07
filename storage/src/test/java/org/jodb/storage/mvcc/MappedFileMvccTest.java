package org.jodb.storage.mvcc;

import java.nio.file.Path;
import org.jodb.mvcc.MvccContractTest;
import org.jodb.spi.Storage;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.junit.jupiter.api.io.TempDir;

/** {@link MvccContractTest} on the file storage, with small segments so that packs move data around. */
class MappedFileMvccTest extends MvccContractTest {
    @TempDir
    Path tmp;

    @Override
    protected Storage newStorage() {
        return MappedFileStorage.open(tmp.resolve("mvcc"),
                StorageOptions.builder().segmentSize(1 << 16).indexCapacity(10_000).build());
    }
}
