package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link LongLongTable} behaves like a {@code HashMap<Long, Long>} for non-negative keys. */
class LongLongTableTest {

    @Test
    void agreesWithHashMapThroughGrowthAndCopies() {
        LongLongTable table = new LongLongTable();
        Map<Long, Long> expected = new HashMap<>();
        for (long k = 0; k < 5_000; k++) {
            long key = k * 7 % 3_001; // repeats: half the puts replace
            table.put(key, k);
            expected.put(key, k);
        }
        table.putIfAbsent(0, -5);
        table.putIfAbsent(10_000, 42);
        expected.putIfAbsent(0L, -5L);
        expected.putIfAbsent(10_000L, 42L);
        LongLongTable copy = table.copy();
        table.put(20_000, 1); // the copy does not see later puts

        assertEquals(expected.size(), copy.size());
        Map<Long, Long> seen = new HashMap<>();
        copy.forEach(seen::put);
        assertEquals(expected, seen);
        assertEquals(-9, copy.get(20_000, -9));
        assertFalse(copy.containsKey(20_000));
        assertTrue(table.containsKey(20_000));
        assertEquals(expected.size() + 1, table.size());
        assertTrue(new LongLongTable().isEmpty());
    }

    @Test
    void putIfAbsentAloneGrowsTheTableAndKeepsTheFirstValue() {
        LongLongTable table = new LongLongTable();
        Map<Long, Long> expected = new HashMap<>();
        for (long k = 0; k < 6_000; k++) {
            long key = k * 13 % 4_001; // from k = 4,001 on, every key is present already
            table.putIfAbsent(key, k);
            expected.putIfAbsent(key, k);
        }
        Map<Long, Long> seen = new HashMap<>();
        table.forEach(seen::put);
        assertEquals(expected, seen);
        assertEquals(4_001, table.size());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> table.putIfAbsent(-2, 1));
    }

    @Test
    void clearEmptiesTheTableForReuse() {
        LongLongTable table = new LongLongTable();
        for (long k = 0; k < 100_000; k += 3) { // large enough to be dropped by clear
            table.put(k, k);
        }
        table.clear();
        assertTrue(table.isEmpty());
        assertFalse(table.containsKey(3));
        table.put(3, 4);
        table.clear();
        assertEquals(-1, table.get(3, -1));
        table.put(5, 6);
        assertEquals(6, table.get(5, -1));
        assertEquals(1, table.size());
    }
}
