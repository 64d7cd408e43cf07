package org.jodb;

import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;

/** The bank in a tree on the reference storage. */
class MemoryTreeBankTest extends TreeBankContractTest {

    @Override
    protected Storage newStorage() {
        return new MemoryStorage();
    }
}
