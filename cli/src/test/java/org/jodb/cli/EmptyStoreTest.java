package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.jodb.Database;
import org.jodb.storage.MappedFileStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on a store that holds only its root, and on one that holds no transaction at all. */
class EmptyStoreTest {
    @TempDir
    Path dir;

    @Test
    void aStoreWithOnlyItsRoot() {
        Database.open(dir).close();
        Run stats = Run.of("stats", dir.toString());
        assertEquals(Jodb.OK, stats.status(), stats::toString);
        assertTrue(stats.out().contains("transactions: 1 (") && stats.out().contains("org.jodb.PersistentMap"),
                stats::toString);
        Run log = Run.of("log", dir.toString());
        assertTrue(log.out().contains("note \"initial database creation\""), log::toString);
        Run root = Run.of("dump", dir.toString(), "0");
        assertTrue(root.out().contains("org.jodb.PersistentMap\n  map = java.util.LinkedHashMap (0 entries)\n"),
                root::toString);
    }

    @Test
    void aStoreWithNoTransaction() {
        MappedFileStorage.open(dir).close();
        assertEquals(Jodb.OK, Run.of("verify", dir.toString()).status());
        Run stats = Run.of("stats", dir.toString());
        assertTrue(stats.out().contains("transactions: 0\nobjects: 0 in 0 records"), stats::toString);
        Run log = Run.of("log", dir.toString());
        assertEquals("no transactions in the store\n", log.out(), log::toString);
        Run dump = Run.of("dump", dir.toString(), "0");
        assertEquals(Jodb.FAILED, dump.status(), dump::toString);
        assertTrue(dump.err().contains("oid 0 is not in the store " + dir + " (no transaction wrote it, or pack removed"
                + " it; the store holds no object yet)"), dump::toString);
    }
}
