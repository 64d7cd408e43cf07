package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StorageOptionsTest {

    @Test
    void defaultsAreDurable() {
        StorageOptions options = StorageOptions.defaults();
        assertEquals(StorageOptions.Durability.SYNC, options.durability());
        assertEquals(64 << 20, options.segmentSize());
    }

    @Test
    void settersRejectBadValuesAtOnceNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StorageOptions.builder().segmentSize(100));
        assertTrue(e.getMessage().contains("segmentSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StorageOptions.builder().segmentSize(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> StorageOptions.builder().indexCapacity(10));
        assertThrows(IllegalArgumentException.class, () -> StorageOptions.builder().flushIntervalMillis(0));
        assertThrows(NullPointerException.class, () -> StorageOptions.builder().durability(null));
    }

    @Test
    void aFlushIntervalWithSyncDurabilityIsAContradiction() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StorageOptions.builder().flushIntervalMillis(5).build());
        assertTrue(e.getMessage().contains("DEFERRED"), e.getMessage());
        StorageOptions deferred = StorageOptions.builder().durability(StorageOptions.Durability.DEFERRED)
                .flushIntervalMillis(5).build();
        assertEquals(5, deferred.flushIntervalMillis());
    }
}
