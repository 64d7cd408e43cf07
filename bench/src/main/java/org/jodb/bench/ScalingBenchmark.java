package org.jodb.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of concurrent writers: 1, 2, 4 and 8 threads, each
 * with its own writer, doing transfer transactions of {@link BenchOptions#keysPerUpdate()} accounts
 * for a fixed time, on <em>disjoint</em> objects (each thread owns a slice of the accounts, so
 * conflicts are impossible) and on <em>shared</em> objects (all threads transfer among the same 20
 * accounts, so most transactions collide). Prints commits/s, retries per commit and the transfers given up
 * (jodb retries with its default attempts) per store and
 * mode; run with {@code --scaling}.
 */
final class ScalingBenchmark {
    private static final int[] THREADS = {1, 2, 4, 8};
    private static final int ACCOUNTS = 10_000;
    private static final int HOT = 20;

    private final BenchOptions options;
    private final PrintStream log;

    ScalingBenchmark(BenchOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /** Runs and returns the markdown table. */
    String run() {
        double seconds = options.quick() ? 1 : 3;
        StringBuilder md = new StringBuilder("# Concurrent writers: commits/s (retries per commit; transfers given up, if any)\n\n");
        md.append(String.format(Locale.ROOT, "%,d accounts; transactions of %d accounts; each cell runs %.0f s;"
                + " shared = all threads among the same %d accounts.%n%n", ACCOUNTS, options.keysPerUpdate(), seconds, HOT));
        md.append("| store | mode | objects |");
        for (int t : THREADS) {
            md.append(' ').append(t).append(t == 1 ? " thread |" : " threads |");
        }
        md.append("\n|---|---|---|").append("---:|".repeat(THREADS.length)).append('\n');
        for (String name : options.stores()) {
            for (Durability mode : options.modes()) {
                Store store = Stores.create(name);
                String reason = store.cannot(Workload.CONCURRENT, mode);
                if (reason != null) {
                    md.append("| ").append(name).append(" | ").append(mode.label).append(" | – | n/a: ").append(reason)
                            .append(" |").append(" |".repeat(THREADS.length - 1)).append('\n');
                    continue;
                }
                Path dir = options.dataDir().resolve("scaling-" + name + "-" + mode.name().toLowerCase(Locale.ROOT));
                PeerBenchmark.deleteRecursively(dir);
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                store.open(dir, mode);
                try {
                    for (int from = 0; from < ACCOUNTS; from += 1_000) {
                        store.insert(from, 1_000);
                    }
                    for (boolean shared : new boolean[] {false, true}) {
                        md.append("| ").append(name).append(" | ").append(mode.label).append(" | ")
                                .append(shared ? "shared" : "disjoint").append(" |");
                        for (int threads : THREADS) {
                            double[] r = measure(store, threads, shared, seconds);
                            log.printf("  %s %s %s %d threads: %,.0f commits/s, %.3f retries/commit, %.0f given"
                                    + " up%n", name, mode.label, shared ? "shared" : "disjoint", threads, r[0], r[1], r[2]);
                            md.append(String.format(Locale.ROOT, " %s (%.3f%s) |", MarkdownReport.num(r[0]), r[1],
                                    r[2] == 0 ? "" : String.format(Locale.ROOT, "; %.0f given up", r[2])));
                        }
                        md.append('\n');
                    }
                    long[] r = store.readAll();
                    if (r[0] != ACCOUNTS || r[1] != ACCOUNTS * Keys.INITIAL_BALANCE) {
                        throw new IllegalStateException(name + " (" + mode.label + ") read back " + r[0]
                                + " accounts with total balance " + r[1] + " after the scaling run: a transfer was"
                                + " lost or applied twice");
                    }
                } finally {
                    store.close();
                    PeerBenchmark.deleteRecursively(dir);
                }
            }
        }
        return md.append('\n').toString();
    }

    private double[] measure(Store store, int threads, boolean shared, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong retries = new AtomicLong();
        AtomicLong giveUps = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int slice = ACCOUNTS / threads;
                int base = shared ? 0 : t * slice;
                int range = shared ? HOT : slice;
                Random random = new Random(7L * t + threads);
                futures.add(pool.submit(() -> {
                    long commits = 0;
                    try (Store.Writer writer = store.writer()) {
                        int[] keys = new int[options.keysPerUpdate()];
                        while (System.nanoTime() < deadline) {
                            for (int i = 0; i < keys.length; i++) {
                                keys[i] = base + random.nextInt(range);
                            }
                            try {
                                retries.addAndGet(writer.transfer(keys) - 1);
                                commits++;
                            } catch (Store.GaveUp e) {
                                retries.addAndGet(e.attempts - 1);
                                giveUps.incrementAndGet();
                            }
                        }
                    }
                    return commits;
                }));
            }
            long commits = 0;
            for (Future<Long> f : futures) {
                commits += f.get();
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            return new double[] {commits / elapsed, commits == 0 ? 0 : (double) retries.get() / commits, giveUps.get()};
        } catch (Exception e) {
            throw new IllegalStateException(store.name() + " failed the scaling run with " + threads + " threads", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
