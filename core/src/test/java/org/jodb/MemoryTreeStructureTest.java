package org.jodb;

import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;

/** Racing splits and unlinks of a tree on the reference storage. */
class MemoryTreeStructureTest extends TreeStructureContractTest {

    @Override
    protected Storage newStorage(int round) {
        return new MemoryStorage();
    }
}
