package org.jodb.storage;

import java.nio.file.Path;
import org.jodb.BankContractTest;
import org.jodb.spi.Storage;
import org.junit.jupiter.api.io.TempDir;

/**
 * The many-threads object-level contract (bank transfers that keep their sum, concurrent map inserts) on the
 * file storage.
 */
class MappedFileBankTest extends BankContractTest {

    @TempDir
    Path tmp;

    @Override
    protected Storage newStorage() {
        return MappedFileStorage.open(tmp.resolve("bank"),
                StorageOptions.builder().segmentSize(1 << 20).indexCapacity(10_000).build());
    }
}
