package org.jodb.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one run measured: per store, workload and mode the rates of each round (or the reason
 * the store cannot do it), the conflict counts of workload 5, and the fsync probe's latencies.
 * Not thread-safe; filled by the single harness thread.
 */
final class Results {

    /** One cell of the table. */
    record Key(String store, Workload workload, Durability mode) {
    }

    private final Map<Key, List<Double>> rates = new LinkedHashMap<>();
    private final Map<Key, String> cannot = new LinkedHashMap<>();
    private final Map<Key, long[]> conflicts = new LinkedHashMap<>();
    private final Map<String, String> products = new LinkedHashMap<>();
    private final Map<String, Map<Durability, String>> modeNotes = new LinkedHashMap<>();
    private final List<Long> fsyncNanos = new ArrayList<>();
    private final List<Long> msyncNanos = new ArrayList<>();

    void product(String store, String product) {
        products.put(store, product);
    }

    Map<String, String> products() {
        return products;
    }

    void modeNote(String store, Durability mode, String note) {
        modeNotes.computeIfAbsent(store, s -> new LinkedHashMap<>()).put(mode, note);
    }

    Map<String, Map<Durability, String>> modeNotes() {
        return modeNotes;
    }

    void rate(Key key, double opsPerSecond) {
        rates.computeIfAbsent(key, k -> new ArrayList<>()).add(opsPerSecond);
    }

    void cannot(Key key, String reason) {
        cannot.put(key, Objects.requireNonNull(reason));
    }

    /** Adds the {@code commits}, {@code retries} and {@code giveUps} of one round of workload 5. */
    void conflicts(Key key, long commits, long retries, long giveUps) {
        long[] c = conflicts.computeIfAbsent(key, k -> new long[3]);
        c[0] += commits;
        c[1] += retries;
        c[2] += giveUps;
    }

    void fsync(long[] nanos) {
        for (long n : nanos) {
            fsyncNanos.add(n);
        }
    }

    void msync(long[] nanos) {
        for (long n : nanos) {
            msyncNanos.add(n);
        }
    }

    /** Median latency of the mmap probe in nanoseconds, or NaN. */
    double msyncMedianNanos() {
        return median(msyncNanos.stream().map(Long::doubleValue).toList());
    }

    /** The reason {@code key} has no figure, or null. */
    String cannot(Key key) {
        return cannot.get(key);
    }

    /** The rates of all rounds, or an empty list. */
    List<Double> rates(Key key) {
        return rates.getOrDefault(key, List.of());
    }

    /** The median rate, or NaN when there is none. */
    double median(Key key) {
        return median(rates(key));
    }

    /** Retries per commit in workload 5, or NaN. */
    double conflictRate(Key key) {
        long[] c = conflicts.get(key);
        return c == null || c[0] == 0 ? Double.NaN : (double) c[1] / c[0];
    }

    /** The transfers of workload 5 the store gave up on (all rounds); 0 when none or not run. */
    long giveUps(Key key) {
        long[] c = conflicts.get(key);
        return c == null ? 0 : c[2];
    }

    /** Median fsync latency in nanoseconds, or NaN when the probe did not run. */
    double fsyncMedianNanos() {
        return median(fsyncNanos.stream().map(Long::doubleValue).toList());
    }

    int fsyncSamples() {
        return fsyncNanos.size();
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
