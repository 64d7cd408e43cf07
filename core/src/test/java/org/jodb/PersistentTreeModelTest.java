package org.jodb;

import org.jodb.spi.MemoryStorage;
import org.junit.jupiter.api.Test;

/** {@link TreeModelRun} on the in-memory storage, many seeds. */
class PersistentTreeModelTest {

    @Test
    void treeMapMatchesTreeMap() {
        for (long seed = 1; seed <= 12; seed++) {
            MemoryStorage storage = new MemoryStorage();
            TreeModelRun.map(seed, 2500, Database.open(storage), old -> Database.open(storage));
        }
    }

    @Test
    void treeSetMatchesTreeSet() {
        for (long seed = 1; seed <= 12; seed++) {
            MemoryStorage storage = new MemoryStorage();
            TreeModelRun.set(seed, 2500, Database.open(storage), old -> Database.open(storage));
        }
    }
}
