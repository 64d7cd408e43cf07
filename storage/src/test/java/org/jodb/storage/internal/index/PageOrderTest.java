package org.jodb.storage.internal.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PageOrderTest {

    /** What byOid must return: the pairs ordered by oid, pairs of one oid in their given order. */
    private static long[][] reference(long[] oids, long[] positions, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> oids[i])); // stable
        long[] o = new long[n];
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            o[i] = oids[order[i]];
            p[i] = positions[order[i]];
        }
        return new long[][]{o, p};
    }

    private static void check(long[] oids, long[] positions, int n) {
        long[][] expected = reference(oids, positions, n);
        long[][] actual = PageOrder.byOid(oids, positions, n);
        assertArrayEquals(expected[0], Arrays.copyOf(actual[0], n));
        assertArrayEquals(expected[1], Arrays.copyOf(actual[1], n));
    }

    @Test
    void sortsLargeTransactionsOfNewAndScatteredOidsLikeAStableSort() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(3_000);
            long[] oids = new long[n + 5]; // only the first n count
            long[] positions = new long[n + 5];
            long next = random.nextInt(1 << 20);
            for (int i = 0; i < oids.length; i++) {
                // mostly new oids in order, some updates of older ones, and repeats of one oid
                int kind = random.nextInt(10);
                oids[i] = kind < 6 ? next++ : kind < 9 ? random.nextInt((int) next + 1) : oids[Math.max(0, i - 1)];
                positions[i] = random.nextLong();
            }
            check(oids, positions, n);
        }
    }

    @Test
    void sortsOidsTooLargeToPackWithTheirIndex() {
        Random random = new Random(11);
        int n = 500;
        long[] oids = new long[n];
        long[] positions = new long[n];
        for (int i = 0; i < n; i++) {
            oids[i] = i % 3 == 0 ? Long.MAX_VALUE - random.nextInt(100) : random.nextInt(1_000);
            positions[i] = i;
        }
        check(oids, positions, n);
    }
}
