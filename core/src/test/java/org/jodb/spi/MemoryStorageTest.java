package org.jodb.spi;

/** The storage contract against the in-heap reference implementation. */
class MemoryStorageTest extends StorageContractTest {

    @Override
    protected Storage newStorage() {
        return new MemoryStorage();
    }
}
