package org.jodb.storage.internal.index;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A transaction's index entries arranged by page ({@link OidPage}), so that {@link OidIndex#putAll} writes each
 * page it touches once, and the count of pages new oids may add, so that the index grows before they could
 * overfill it.
 */
final class PageOrder {

    private PageOrder() {
    }

    /**
     * At most how many pages the first {@code n} of {@code oids} fall in: the number of runs of oids of one page
     * (exact for oids in order, as new oids are; more when pages interleave).
     */
    static int pagesSpanned(long[] oids, int n) {
        int pages = 0;
        long last = -1;
        for (int i = 0; i < n; i++) {
            long page = OidPage.of(oids[i]);
            if (page != last) {
                pages++;
                last = page;
            }
        }
        return pages;
    }

    /** {@code oids} and {@code positions}, the first {@code n}, ordered by oid (as given when they already are). */
    static long[][] byOid(long[] oids, long[] positions, int n) {
        boolean ordered = true;
        for (int i = 1; i < n && ordered; i++) {
            ordered = oids[i - 1] <= oids[i];
        }
        if (ordered) {
            return new long[][]{oids, positions};
        }
        if (n <= 64) { // a transaction of a few scattered updates: an insertion sort, nothing boxed
            long[] o = Arrays.copyOf(oids, n);
            long[] p = Arrays.copyOf(positions, n);
            for (int i = 1; i < n; i++) {
                long oid = o[i];
                long position = p[i];
                int j = i - 1;
                for (; j >= 0 && o[j] > oid; j--) {
                    o[j + 1] = o[j];
                    p[j + 1] = p[j];
                }
                o[j + 1] = oid;
                p[j + 1] = position;
            }
            return new long[][]{o, p};
        }
        long max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, oids[i]);
        }
        int indexBits = 64 - Long.numberOfLeadingZeros(n - 1);
        if (min(oids, n) >= 0 && max >>> (63 - indexBits) == 0) {
            return packedSort(oids, positions, n, indexBits);
        }
        Integer[] order = new Integer[n]; // oids too large to share a long with an index: rare, boxed
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> oids[i]));
        long[] o = new long[n];
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            o[i] = oids[order[i]];
            p[i] = positions[order[i]];
        }
        return new long[][]{o, p};
    }

    /**
     * {@link #byOid} for oids that fit in {@code 63 - indexBits} bits: each oid shifted left with its index in the
     * low {@code indexBits} bits, one primitive sort, then unpacked. Equal oids keep their order (the index
     * breaks the tie), as the boxed sort kept it. A transaction's entries are mostly in order with the updated
     * objects' oids scattered among the new ones, so a commit of 1,000 new objects sorts here.
     */
    private static long[][] packedSort(long[] oids, long[] positions, int n, int indexBits) {
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = oids[i] << indexBits | i;
        }
        Arrays.sort(packed);
        long indexMask = (1L << indexBits) - 1;
        long[] o = new long[n];
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            int from = (int) (packed[i] & indexMask);
            o[i] = oids[from];
            p[i] = positions[from];
        }
        return new long[][]{o, p};
    }

    private static long min(long[] oids, int n) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, oids[i]);
        }
        return min;
    }
}
