package org.jodb.mvcc;

import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;

/** {@link MvccContractTest} on the in-memory storage. */
class MemoryMvccTest extends MvccContractTest {
    @Override
    protected Storage newStorage() {
        return new MemoryStorage();
    }
}
