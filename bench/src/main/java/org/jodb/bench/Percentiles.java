package org.jodb.bench;

import java.util.Arrays;

/** Percentiles of a sample of durations (nearest rank). */
final class Percentiles {
    private final long[] sorted;

    Percentiles(long[] sample) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("no sample: percentiles need at least one duration");
        }
        this.sorted = sample.clone();
        Arrays.sort(sorted);
    }

    /** The smallest duration that at least {@code percent}% of the sample does not exceed. */
    long at(double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
