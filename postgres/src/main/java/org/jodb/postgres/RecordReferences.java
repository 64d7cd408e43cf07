package org.jodb.postgres;

import java.util.Arrays;
import java.util.Map;
import org.jodb.spi.ReferenceFinder;

/**
 * The oids that a transaction's records refer to, each once, with one record that refers to it: what a vote
 * names once a pack has removed objects ({@code removed_objects}, SCHEMA.md), so that the server refuses a
 * reference to one of them, and what names the referring record when it does. Kept as two sorted arrays, 16
 * bytes per oid referred to. Not thread-safe: one transaction's.
 */
final class RecordReferences {
    private long[] oids = new long[0];
    /** {@code from[i]} is a record that refers to {@code oids[i]}. */
    private long[] from = new long[0];

    /** Adds the references of {@code records} (oid to bytes), found by {@code finder}. */
    void addAll(Map<Long, byte[]> records, ReferenceFinder finder) {
        long[] refs = new long[16];
        long[] referrers = new long[16];
        int[] n = {0};
        long[][] grow = {refs, referrers};
        for (Map.Entry<Long, byte[]> e : records.entrySet()) {
            long referrer = e.getKey();
            finder.references(e.getValue(), ref -> {
                if (n[0] == grow[0].length) {
                    grow[0] = Arrays.copyOf(grow[0], n[0] * 2);
                    grow[1] = Arrays.copyOf(grow[1], n[0] * 2);
                }
                grow[0][n[0]] = ref;
                grow[1][n[0]] = referrer;
                n[0]++;
            });
        }
        merge(grow[0], grow[1], n[0]);
    }

    /** The oids referred to, ascending, each once. */
    long[] oids() {
        return oids.clone();
    }

    /** A record that refers to {@code oid}, or -1 when none does. */
    long referrerOf(long oid) {
        int i = Arrays.binarySearch(oids, oid);
        return i >= 0 ? from[i] : -1;
    }

    /** Merges {@code n} pairs (in no order, possibly repeated) into the sorted, distinct arrays. */
    private void merge(long[] refs, long[] referrers, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(refs[a], refs[b]));
        long[] mergedOids = new long[oids.length + n];
        long[] mergedFrom = new long[oids.length + n];
        int size = 0;
        int i = 0;
        int j = 0;
        while (i < oids.length || j < n) {
            long oid;
            long referrer;
            if (j == n || (i < oids.length && oids[i] <= refs[order[j]])) {
                oid = oids[i];
                referrer = from[i++];
            } else {
                oid = refs[order[j]];
                referrer = referrers[order[j++]];
            }
            if (size == 0 || mergedOids[size - 1] != oid) {
                mergedOids[size] = oid;
                mergedFrom[size++] = referrer;
            }
        }
        oids = Arrays.copyOf(mergedOids, size);
        from = Arrays.copyOf(mergedFrom, size);
    }
}
