package org.jodb.bench;

import java.util.Locale;

/**
 * The data of the big-map workloads: entry {@code i} maps {@link #key(int)} to {@link #value(int)}. The keys
 * are zero-padded, so their string order is their numeric order and entries {@code i .. i + 99} are 100
 * consecutive keys of a sorted map.
 */
final class BigMapKeys {
    private BigMapKeys() {
    }

    /** {@code "key-00000042"} for 42: eight digits hold the 10,000,000 entries of {@code --big}. */
    static String key(int i) {
        return String.format(Locale.ROOT, "key-%08d", i);
    }

    /** A value that differs from the index, so a store that returned a neighbour's value is caught. */
    static long value(int i) {
        return 7L * i + 3;
    }
}
