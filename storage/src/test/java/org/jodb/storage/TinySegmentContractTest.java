package org.jodb.storage;

/**
 * The storage contract with the smallest segments allowed, so that nearly every commit closes a segment
 * and opens the next one (and large transactions get a segment of their own): jodb's ONE_BYTE_AT_A_TIME.
 */
class TinySegmentContractTest extends MappedFileStorageContractTest {

    @Override
    protected StorageOptions options() {
        return StorageOptions.builder().segmentSize(StorageOptions.MIN_SEGMENT_SIZE).indexCapacity(1_000).build(); // 128 bytes
    }
}
