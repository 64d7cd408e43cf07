package org.jodb.storage;

import java.nio.file.Path;
import org.jodb.TreeStructureContractTest;
import org.jodb.spi.Storage;
import org.junit.jupiter.api.io.TempDir;

/** Racing splits and unlinks of a tree on the file storage, whose conflict resolution reads old revisions. */
class MappedFileTreeStructureTest extends TreeStructureContractTest {

    @TempDir
    Path tmp;

    @Override
    protected Storage newStorage(int round) {
        return MappedFileStorage.open(tmp.resolve("tree" + round),
                StorageOptions.builder().segmentSize(1 << 20).indexCapacity(10_000).build());
    }
}
