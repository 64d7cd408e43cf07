package org.jodb.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Workloads 6 and 7, run with {@code --bigmap}: a map of {@link BigMapOptions#entries()} string keys to longs,
 * built once per store in commits of {@link BigMapOptions#batch()} and closed; then every round opens each
 * store cold (in an order that rotates from round to round) and measures
 * <ol start="6">
 *   <li>the open, the first get (its latency, the records it loaded, the heap held after it), then random gets:
 *       p50 and p99 latency, records loaded per get, the heap held after them;</li>
 *   <li>after a second cold open, range scans of {@link BigMapOptions#scanLength()} consecutive keys: scans per
 *       second and the p99 of one scan.</li>
 * </ol>
 * Heap held is the used heap after a full GC minus the same before the open. Every get and every scan is
 * checked against the data put: a store that reads wrong fails the run instead of reporting a figure.
 */
final class BigMapBenchmark {
    private static final long SEED = 42;

    private final BigMapOptions options;
    private final PrintStream log;
    private final Function<String, BigMapStore> stores;

    BigMapBenchmark(BigMapOptions options, PrintStream log) {
        this(options, log, BigMapStores::create);
    }

    /** With the adapters that {@code stores} makes from the names in {@code options}. */
    BigMapBenchmark(BigMapOptions options, PrintStream log, Function<String, BigMapStore> stores) {
        this.options = options;
        this.log = log;
        this.stores = stores;
    }

    BigMapResults run() {
        BigMapResults results = new BigMapResults();
        Map<String, Path> dirs = new LinkedHashMap<>();
        try {
            for (String name : options.stores()) {
                Path dir = options.dataDir().resolve("bigmap-" + name);
                dirs.put(name, dir);
                build(name, dir, results);
            }
            for (int round = 0; round < options.rounds(); round++) {
                BigMapProbes probes = new BigMapProbes(options, SEED + round);
                log.printf("round %d/%d%n", round + 1, options.rounds());
                for (String name : rotate(options.stores(), round)) {
                    BigMapRound r = measure(name, dirs.get(name), probes);
                    results.round(name, r);
                    log.printf(Locale.ROOT, "  %-18s open %.1f ms, first get %.2f ms, heap %.1f MiB;"
                                    + " gets p50 %.1f µs p99 %.1f µs, heap %.1f MiB; scans %.0f/s p99 %.1f µs%n", name,
                            r.openMillis(), r.firstGetMillis(), r.heapAfterFirstMb(), r.getP50Micros(),
                            r.getP99Micros(), r.heapAfterGetsMb(), r.scansPerSecond(), r.scanP99Micros());
                }
            }
        } finally {
            dirs.values().forEach(PeerBenchmark::deleteRecursively);
        }
        return results;
    }

    private static <T> List<T> rotate(List<T> list, int by) {
        List<T> result = new ArrayList<>(list);
        Collections.rotate(result, -(by % result.size()));
        return result;
    }

    private void build(String name, Path dir, BigMapResults results) {
        PeerBenchmark.deleteRecursively(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BigMapStore store = stores.apply(name);
        long t0 = System.nanoTime();
        try {
            store.create(dir);
            for (int from = 0; from < options.entries(); from += options.batch()) {
                store.putAll(from, Math.min(options.batch(), options.entries() - from));
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + " failed to build the map of " + options.entries() + " entries", e);
        } finally {
            store.close();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long bytes = sizeOnDisk(dir);
        results.built(name, store, seconds, bytes);
        log.printf(Locale.ROOT, "built %s: %,d entries in %.1f s, %.1f MiB on disk%n", name,
                options.entries(), seconds, bytes / 1048576.0);
    }

    /** One round of one store: workload 6 (cold open, first get, random gets), then workload 7. */
    private BigMapRound measure(String name, Path dir, BigMapProbes probes) {
        BigMapStore store = stores.apply(name);
        double open;
        double firstGet;
        double firstRecords;
        double heapFirst;
        Percentiles gets;
        double recordsPerGet;
        double heapGets;
        try {
            long heapBefore = HeapProbe.settled(options.settleMillis());
            long t0 = System.nanoTime();
            store.open(dir);
            open = (System.nanoTime() - t0) / 1e6;
            OptionalLong loadedAtOpen = store.recordsLoaded();
            long t1 = System.nanoTime();
            Long first = store.get(probes.firstKey);
            firstGet = (System.nanoTime() - t1) / 1e6;
            checkGet(name, probes.firstIndex, first);
            OptionalLong loadedAfterFirst = store.recordsLoaded();
            firstRecords = difference(loadedAtOpen, loadedAfterFirst, 1);
            heapFirst = mib(HeapProbe.usedAfterGc() - heapBefore);
            long[] latencies = new long[probes.getKeys.length];
            for (int k = 0; k < latencies.length; k++) {
                long t = System.nanoTime();
                Long value = store.get(probes.getKeys[k]);
                latencies[k] = System.nanoTime() - t;
                checkGet(name, probes.getIndexes[k], value);
            }
            gets = new Percentiles(latencies);
            recordsPerGet = difference(loadedAfterFirst, store.recordsLoaded(), latencies.length);
            heapGets = mib(HeapProbe.usedAfterGc() - heapBefore);
        } finally {
            store.close();
        }
        double[] scans = scans(name, dir, probes);
        return new BigMapRound(open, firstGet, firstRecords, heapFirst, gets.at(50) / 1e3, gets.at(99) / 1e3,
                recordsPerGet, heapGets, scans[0], scans[1]);
    }

    /**
     * Workload 7: a cold open of its own, then the scans, each checked.
     *
     * @return scans per second and the p99 of one scan in µs, or {@code NaN}s when the store cannot scan
     */
    private double[] scans(String name, Path dir, BigMapProbes probes) {
        BigMapStore store = stores.apply(name);
        if (store.cannotScan() != null) {
            return new double[] {Double.NaN, Double.NaN};
        }
        try {
            store.open(dir);
            ScanCheck check = new ScanCheck(options.scanLength());
            long[] latencies = new long[probes.scanStarts.length];
            long total = 0;
            for (int s = 0; s < latencies.length; s++) {
                check.reset();
                long t = System.nanoTime();
                store.scan(probes.scanFrom[s], probes.scanTo[s], check);
                latencies[s] = System.nanoTime() - t;
                total += latencies[s];
                check.check(name, probes.scanStarts[s]);
            }
            return new double[] {latencies.length / (total / 1e9), new Percentiles(latencies).at(99) / 1e3};
        } finally {
            store.close();
        }
    }

    private static void checkGet(String store, int index, Long value) {
        if (value == null || value != BigMapKeys.value(index)) {
            throw new IllegalStateException(store + " returned " + value + " for " + BigMapKeys.key(index)
                    + ", expected " + BigMapKeys.value(index) + ": the store reads wrong");
        }
    }

    /** Records loaded between two counts, per operation; {@code NaN} when the store does not count. */
    private static double difference(OptionalLong before, OptionalLong after, int operations) {
        if (before.isEmpty() || after.isEmpty()) {
            return Double.NaN;
        }
        return (double) (after.getAsLong() - before.getAsLong()) / operations;
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private static long sizeOnDisk(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir, e);
        }
    }
}
