package org.jodb.storage;

import java.nio.file.Path;
import org.jodb.Database;
import org.jodb.PersistentMapModelTest;
import org.jodb.PersistentMapModelTest.Keys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The large {@code PersistentMap} model ({@link PersistentMapModelTest}) on the file storage: the final
 * check closes the storage and reads the map back from its files, its chunks and hash tree included.
 */
class MappedFileMapModelTest {

    @TempDir
    Path tmp;

    private static Database open(Path dir) {
        return Database.open(MappedFileStorage.open(dir,
                StorageOptions.builder().segmentSize(1 << 22).indexCapacity(50_000).build()));
    }

    @ParameterizedTest
    @EnumSource(Keys.class)
    void largeMapMatchesALinkedHashMap(Keys keys) {
        long seed = 21 + keys.ordinal();
        Path dir = tmp.resolve(keys.name());
        PersistentMapModelTest.run(seed, 6_000, keys, open(dir), old -> {
            old.close();
            return open(dir);
        });
    }
}
