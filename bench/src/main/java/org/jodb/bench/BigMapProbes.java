package org.jodb.bench;

import java.util.Random;

/**
 * The keys one round reads, the same for every store of the round: the first get, the random gets after
 * it, and the start of each range scan. Made before any store opens, so that building the key strings is
 * neither timed nor counted in a store's heap.
 */
final class BigMapProbes {
    final int firstIndex;
    final String firstKey;
    final int[] getIndexes;
    final String[] getKeys;
    final int[] scanStarts;
    final String[] scanFrom;
    final String[] scanTo;

    BigMapProbes(BigMapOptions options, long seed) {
        Random random = new Random(seed);
        firstIndex = random.nextInt(options.entries());
        firstKey = BigMapKeys.key(firstIndex);
        getIndexes = new int[options.gets()];
        getKeys = new String[options.gets()];
        for (int k = 0; k < getIndexes.length; k++) {
            getIndexes[k] = random.nextInt(options.entries());
            getKeys[k] = BigMapKeys.key(getIndexes[k]);
        }
        scanStarts = new int[options.scans()];
        scanFrom = new String[options.scans()];
        scanTo = new String[options.scans()];
        for (int s = 0; s < scanStarts.length; s++) {
            scanStarts[s] = random.nextInt(options.entries() - options.scanLength() + 1);
            scanFrom[s] = BigMapKeys.key(scanStarts[s]);
            scanTo[s] = BigMapKeys.key(scanStarts[s] + options.scanLength());
        }
    }
}
