package org.jodb.storage;

import java.nio.file.Path;
import org.jodb.Database;
import org.jodb.TreeModelRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistent tree models ({@link TreeModelRun}) on the file storage: reopening closes the storage and
 * opens its files again, so every reload after a reopen reads records written to the log.
 */
class MappedFileTreeModelTest {

    @TempDir
    Path tmp;

    private static Database open(Path dir) {
        return Database.open(MappedFileStorage.open(dir,
                StorageOptions.builder().segmentSize(1 << 20).indexCapacity(20_000).build()));
    }

    private static Database reopen(Database old, Path dir) {
        old.close();
        return open(dir);
    }

    @Test
    void treeMapMatchesTreeMap() {
        for (long seed = 101; seed <= 104; seed++) {
            Path dir = tmp.resolve("map" + seed);
            TreeModelRun.map(seed, 1500, open(dir), old -> reopen(old, dir));
        }
    }

    @Test
    void treeSetMatchesTreeSet() {
        for (long seed = 101; seed <= 104; seed++) {
            Path dir = tmp.resolve("set" + seed);
            TreeModelRun.set(seed, 1500, open(dir), old -> reopen(old, dir));
        }
    }
}
