package org.jodb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfAnUnsortedSample() {
        long[] sample = new long[100];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = 100 - i; // 100 .. 1, unsorted on purpose
        }
        Percentiles p = new Percentiles(sample);
        assertEquals(50, p.at(50));
        assertEquals(99, p.at(99));
        assertEquals(100, p.at(100));
        assertEquals(1, p.at(0));
        assertEquals(100, sample[0], "the sample is not sorted in place");
    }

    @Test
    void oneDurationIsEveryPercentileAndNoneIsRefused() {
        assertEquals(7, new Percentiles(new long[] {7}).at(99));
        assertThrows(IllegalArgumentException.class, () -> new Percentiles(new long[0]));
    }
}
