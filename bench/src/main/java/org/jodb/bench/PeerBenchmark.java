package org.jodb.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The side-by-side run: every round runs each store (in an order that rotates from round to round,
 * so no store always goes first or last) in each durability mode, through the selected workloads on
 * a fresh directory, and records the rates. Workloads 2, 3, 5 and 6 are transfers, so the total balance
 * never changes: the read-back at the end checks it and the account count, and a store that got
 * either wrong fails the run instead of reporting a figure.
 */
final class PeerBenchmark {
    private final BenchOptions options;
    private final PrintStream log;
    private final Transfers transfers;

    PeerBenchmark(BenchOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
        this.transfers = new Transfers(options.accounts(), options.keysPerUpdate());
    }

    /** Why {@code store} cannot run {@code w} in {@code mode}, or null when it can. */
    static String reason(Store store, Workload w, Durability mode) {
        if (w == Workload.TWO_JVMS && !store.sharedByProcesses()) {
            return "one process's store";
        }
        return store.cannot(w, mode);
    }

    Results run() {
        Results results = new Results();
        for (String name : options.stores()) {
            Store s = Stores.create(name);
            results.product(name, s.product());
            for (Durability mode : options.modes()) {
                results.modeNote(name, mode, s.describe(mode));
            }
        }
        for (int round = 0; round < options.rounds(); round++) {
            long[] fsync = FsyncProbe.measure(options.dataDir(), 500, 1.0);
            results.fsync(fsync);
            long[] msync = FsyncProbe.measureMapped(options.dataDir(), 500, 1.0);
            results.msync(msync);
            log.printf("round %d/%d: fsync probe median %.3f ms over %d appends, msync probe %.3f ms%n", round + 1,
                    options.rounds(), fsync.length == 0 ? Double.NaN : fsync[fsync.length / 2] / 1e6, fsync.length,
                    msync.length == 0 ? Double.NaN : msync[msync.length / 2] / 1e6);
            List<String> order = rotate(options.stores(), round);
            for (String name : order) {
                for (Durability mode : rotate(List.copyOf(options.modes()), round)) {
                    runOne(Stores.create(name), mode, round, results);
                }
            }
        }
        return results;
    }

    private static <T> List<T> rotate(List<T> list, int by) {
        List<T> result = new ArrayList<>(list);
        if (!result.isEmpty()) {
            java.util.Collections.rotate(result, -(by % result.size()));
        }
        return result;
    }

    private void runOne(Store store, Durability mode, int round, Results results) {
        String name = store.name();
        boolean anything = false;
        for (Workload w : options.workloads()) {
            String reason = reason(store, w, mode);
            if (reason != null) {
                results.cannot(new Results.Key(name, w, mode), reason);
            } else {
                anything = true;
            }
        }
        if (!anything) {
            return;
        }
        Path dir = options.dataDir().resolve(name + "-" + mode.name().toLowerCase() + "-r" + round);
        deleteRecursively(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Random random = new Random(42 + round);
        log.printf("  %-12s %-16s", name, mode.label);
        store.open(dir, mode);
        try {
            // 1: insert, committing every batch.
            measure(store, Workload.INSERT, mode, results, () -> {
                for (int from = 0; from < options.accounts(); from += options.batch()) {
                    store.insert(from, Math.min(options.batch(), options.accounts() - from));
                }
                return options.accounts();
            });
            // 2: single-thread transfer transactions.
            measure(store, Workload.UPDATE, mode, results, () -> {
                try (Store.Writer writer = store.writer()) {
                    return transfers(writer, options.updates(), random, deadline());
                }
            });
            // 3: savepoint and rollback inside one transaction.
            measure(store, Workload.SAVEPOINT, mode, results, () -> {
                int[] first = randomKeys(random, options.savepointChanges());
                int[] second = randomKeys(random, options.savepointChanges());
                store.savepointScenario(first, second);
                return 2L * options.savepointChanges();
            });
            // 5: several threads, each with its own writer.
            measure(store, Workload.CONCURRENT, mode, results, () -> concurrent(store, mode, round, results));
            // 6: the same threads split over two child JVMs on the same database.
            twoJvms(store, dir, mode, round, results);
            // 4: close, cold open, read everything (always done untimed, to check the totals).
            store.close();
            long[] readBack = new long[2];
            measure(store, Workload.COLD_READ, mode, results, () -> {
                store.open(dir, mode);
                long[] r = store.readAll();
                readBack[0] = r[0];
                readBack[1] = r[1];
                return r[0];
            });
            if (reason(store, Workload.COLD_READ, mode) != null || !options.workloads().contains(Workload.COLD_READ)) {
                store.open(dir, mode);
                long[] r = store.readAll();
                readBack[0] = r[0];
                readBack[1] = r[1];
            }
            check(name, mode, readBack);
            log.println();
        } finally {
            store.close();
            deleteRecursively(dir);
        }
    }

    private void check(String name, Durability mode, long[] readBack) {
        long expectedSum = (long) options.accounts() * Keys.INITIAL_BALANCE;
        if (readBack[0] != options.accounts() || readBack[1] != expectedSum) {
            throw new IllegalStateException(name + " (" + mode.label + ") read back " + readBack[0] + " accounts with"
                    + " total balance " + readBack[1] + ", expected " + options.accounts() + " and " + expectedSum
                    + ": the store lost or duplicated a change");
        }
    }

    /** Work that returns the number of operations it did. */
    private interface Work {
        long run() throws Exception;
    }

    private void measure(Store store, Workload w, Durability mode, Results results, Work work) {
        Results.Key key = new Results.Key(store.name(), w, mode);
        boolean timed = options.workloads().contains(w) && reason(store, w, mode) == null;
        if (!timed && w != Workload.INSERT) {
            return;
        }
        System.gc();
        long t0 = System.nanoTime();
        long ops;
        try {
            ops = work.run();
        } catch (Exception e) {
            throw new IllegalStateException(store.name() + " failed workload " + w.number + " (" + mode.label + ")", e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (timed) {
            double rate = ops / seconds;
            results.rate(key, rate);
            log.printf(" w%d=%,.0f", w.number, rate);
        }
    }

    private long deadline() {
        return System.nanoTime() + (long) (options.capSeconds() * 1e9);
    }

    private long transfers(Store.Writer writer, int count, Random random, long deadline) {
        return transfers.run(writer, count, random, deadline, new AtomicLong(), new AtomicLong());
    }

    private long concurrent(Store store, Durability mode, int round, Results results) throws Exception {
        int threads = options.threads();
        int perThread = Math.max(1, options.updates() / threads);
        Transfers.Tally tally = transfers.concurrently(store, threads, perThread, 1_000L * round, deadline());
        results.conflicts(new Results.Key(store.name(), Workload.CONCURRENT, mode), tally.commits(),
                tally.retries(), tally.giveUps());
        return tally.commits();
    }

    /** Workload 8, timed by the children themselves (their JVM start and store open are not part of it). */
    private void twoJvms(Store store, Path dir, Durability mode, int round, Results results) {
        Results.Key key = new Results.Key(store.name(), Workload.TWO_JVMS, mode);
        if (!options.workloads().contains(Workload.TWO_JVMS) || reason(store, Workload.TWO_JVMS, mode) != null) {
            return;
        }
        TwoJvms.Outcome outcome;
        try {
            outcome = TwoJvms.run(store.name(), dir, options, round);
        } catch (Exception e) {
            throw new IllegalStateException(store.name() + " failed workload 8 (" + mode.label + ")", e);
        }
        Transfers.Tally tally = outcome.tally();
        results.conflicts(key, tally.commits(), tally.retries(), tally.giveUps());
        double rate = tally.commits() / outcome.seconds();
        results.rate(key, rate);
        log.printf(" w8=%,.0f", rate);
    }

    /** {@code n} random account numbers, rounded down to pairs (from, to). */
    private int[] randomKeys(Random random, int n) {
        return transfers.randomKeys(random, n);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
