package org.jodb.storage;

/** The storage contract with {@link StorageOptions.Durability#DEFERRED}: finish returns before the force. */
class DeferredDurabilityContractTest extends MappedFileStorageContractTest {

    @Override
    protected StorageOptions options() {
        return StorageOptions.builder().segmentSize(1 << 20).indexCapacity(10_000)
                .durability(StorageOptions.Durability.DEFERRED).flushIntervalMillis(5).build();
    }
}
