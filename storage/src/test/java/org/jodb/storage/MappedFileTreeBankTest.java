package org.jodb.storage;

import java.nio.file.Path;
import org.jodb.TreeBankContractTest;
import org.jodb.spi.Storage;
import org.junit.jupiter.api.io.TempDir;

/** The bank with its accounts in a persistent tree, on the file storage. */
class MappedFileTreeBankTest extends TreeBankContractTest {

    @TempDir
    Path tmp;

    @Override
    protected Storage newStorage() {
        return MappedFileStorage.open(tmp.resolve("bank"),
                StorageOptions.builder().segmentSize(1 << 20).indexCapacity(10_000).build());
    }
}
