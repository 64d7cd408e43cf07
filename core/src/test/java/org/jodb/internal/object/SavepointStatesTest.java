package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SavepointStatesTest {

    private static byte[] bytes(int n, int fill) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void recordsBeyondTheThresholdGoToATemporaryFileThatClearDeletes() {
        SavepointStates store = new SavepointStates(100);
        store.put(1, 7, bytes(60, 1));
        assertFalse(store.hasSpilled());
        store.put(2, 8, bytes(60, 2));
        assertTrue(store.hasSpilled());
        store.put(3, 0, bytes(40 << 20, 3)); // larger than one mapped region
        assertArrayEquals(bytes(60, 1), store.get(1));
        assertArrayEquals(bytes(60, 2), store.get(2));
        assertEquals(40 << 20, store.get(3).length);
        assertEquals(8, store.serial(2));
        java.nio.file.Path file = store.spillFile();
        assertTrue(java.nio.file.Files.exists(file));
        store.clear();
        assertFalse(store.hasSpilled());
        assertFalse(java.nio.file.Files.exists(file), "clear (commit, abort) deletes the spill file");
        assertNull(store.get(1));
    }

    @Test
    void closeDeletesTheSpillFile() {
        SavepointStates store = new SavepointStates(0);
        store.put(1, 0, bytes(10, 1));
        java.nio.file.Path file = store.spillFile();
        assertTrue(java.nio.file.Files.exists(file));
        store.close();
        assertFalse(java.nio.file.Files.exists(file), "close (database closed) deletes the spill file");
    }

    @Test
    void markRestoresTheIndexAndReportsWhatChangedAfterIt() {
        SavepointStates store = new SavepointStates(0);
        store.put(1, 0, bytes(3, 1));
        SavepointStates.Mark mark = store.mark();
        store.put(1, 0, bytes(3, 9));
        store.put(2, 0, bytes(3, 2));
        List<Long> changed = new ArrayList<>();
        store.restore(mark, changed::add);
        changed.sort(null);
        assertEquals(List.of(1L, 2L), changed);
        assertArrayEquals(bytes(3, 1), store.get(1));
        assertNull(store.get(2));
        store.put(2, 0, bytes(3, 4));
        store.restore(mark, oid -> { });
        assertNull(store.get(2), "a mark can be restored again");
        store.close();
    }
}
