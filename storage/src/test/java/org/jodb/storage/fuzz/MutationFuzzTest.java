package org.jodb.storage.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.jodb.spi.Revision;
import org.jodb.spi.StorageException;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.RecoveryWarnings;
import org.jodb.storage.StorageOptions;
import org.jodb.storage.StoreFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages copies of seed stores one mutation at a time (flip, overwrite, truncate, delete, replace by an older
 * copy, append, swap two files) and opens and reads each in full. The oracle (FORMAT.md 8): either open fails
 * with a {@link StorageException} whose message names the damaged file, or it succeeds and every object reads
 * back with the seed's bytes, or fails to read with such an exception; for a seed whose writer was killed, the
 * last transaction alone may be missing, and then recovery logged a warning naming where the log now ends.
 * Never another exception, never a trial over 5 s.
 *
 * <p>Knobs: {@code -Djodb.fuzz.trials=100000} (default 2000), {@code -Djodb.fuzz.seed=N} (the trials' random
 * seed; default fixed, so the build is repeatable), {@code -Djodb.fuzz.files=log,meta,pack,index} or {@code all}:
 * which files are damaged ({@code log}: segments; {@code meta}: index.meta; {@code pack}: pack.commit and pack
 * output; {@code index}: the Chronicle Map index files). The build damages all of them.
 */
class MutationFuzzTest {

    private static final int TRIALS = Integer.getInteger("jodb.fuzz.trials", 2000);
    private static final long SEED = Long.getLong("jodb.fuzz.seed", 20261207L);
    private static final Set<String> FILES = fileClasses(System.getProperty("jodb.fuzz.files", "all"));
    private static final long STALL_SECONDS = 5;

    @TempDir
    static Path tmp;
    private static List<FuzzSeed> seeds;
    private static RecoveryWarnings warnings;

    @BeforeAll
    static void writeSeeds() {
        warnings = RecoveryWarnings.install();
        StorageOptions one = StorageOptions.builder().segmentSize(1 << 16).indexCapacity(1_000).build();
        StorageOptions small = StorageOptions.builder().segmentSize(4096).indexCapacity(1_000).build();
        StorageOptions deferred = StorageOptions.builder().segmentSize(4096).indexCapacity(1_000)
                .durability(StorageOptions.Durability.DEFERRED).flushIntervalMillis(1_000).build();
        seeds = List.of(
                FuzzSeed.build("clean-one-segment", tmp, one, 8, 8, FuzzSeed.Ending.CLEAN_CLOSE, 1),
                FuzzSeed.build("clean-segments", tmp, small, 12, 20, FuzzSeed.Ending.CLEAN_CLOSE, 2),
                FuzzSeed.build("killed-one-segment", tmp, one, 8, 8, FuzzSeed.Ending.KILLED, 3),
                FuzzSeed.build("killed-segments", tmp, small, 12, 20, FuzzSeed.Ending.KILLED, 4),
                FuzzSeed.build("killed-deferred-segments", tmp, deferred, 12, 20, FuzzSeed.Ending.KILLED, 5),
                FuzzSeed.build("killed-at-pack-commit", tmp, small, 12, 12, FuzzSeed.Ending.KILLED_AT_PACK_COMMIT, 6));
        for (FuzzSeed seed : seeds) {
            assertTrue(trial(seed, null).isEmpty(), seed.name() + " opens undamaged with its own state: "
                    + trial(seed, null));
        }
    }

    @AfterAll
    static void removeWarningCapture() {
        warnings.close();
    }

    @Test
    void noDamageLosesAnAcknowledgedCommitSilently() throws IOException {
        List<String> failures = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < TRIALS; i++) {
                Random random = new Random(SEED * 1_000_003 + i);
                FuzzSeed seed = seeds.get(random.nextInt(seeds.size()));
                Path work = tmp.resolve("trial-" + i);
                FuzzSeed.copy(seed.dir(), work);
                List<Path> targets = targets(work);
                if (targets.isEmpty()) {
                    continue;
                }
                FileMutation mutation = FileMutation.pick(random, targets.get(random.nextInt(targets.size())),
                        targets);
                mutation.apply(seed.stale());
                String where = "trial " + i + " (" + seed.name() + ": " + mutation + ")";
                Future<List<String>> result = runner.submit(() -> trial(seed, mutation, work, outcomes));
                try {
                    List<String> found = result.get(STALL_SECONDS, TimeUnit.SECONDS);
                    found.forEach(f -> failures.add(where + ": " + f));
                    found.stream().map(f -> "FAILED: " + f.replaceAll("[:(].*", "").trim()).distinct()
                            .forEach(f -> count(outcomes, f));
                } catch (TimeoutException e) {
                    count(outcomes, "FAILED: stalled");
                    failures.add(where + ": stalled over " + STALL_SECONDS + " s");
                    runner.shutdownNow();
                    runner = Executors.newSingleThreadExecutor();
                } catch (ExecutionException | InterruptedException e) {
                    failures.add(where + ": the oracle itself failed: " + e);
                }
                StoreFiles.deleteTree(work);
            }
        } finally {
            runner.shutdownNow();
        }
        System.out.println("MutationFuzzTest: " + TRIALS + " trials, seed " + SEED + ", files " + FILES + ": "
                + outcomes + ", " + failures.size() + " failures");
        assertTrue(failures.isEmpty(), failures.size() + " of " + TRIALS + " trials failed:\n"
                + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    }

    /** An undamaged copy of {@code seed}: the oracle's failures (none expected). */
    private static List<String> trial(FuzzSeed seed, FileMutation none) {
        Path work = tmp.resolve("check-" + seed.name());
        FuzzSeed.copy(seed.dir(), work);
        return trial(seed, null, work, new TreeMap<>());
    }

    /**
     * Opens the damaged copy {@code work} and reads every object of the seed.
     *
     * @return what broke the oracle; empty when the outcome is allowed
     */
    private static List<String> trial(FuzzSeed seed, FileMutation mutation, Path work, Map<String, Integer> outcomes) {
        warnings.clear();
        List<String> failures = new ArrayList<>();
        MappedFileStorage storage;
        try {
            storage = MappedFileStorage.open(work, seed.options());
        } catch (StorageException e) {
            if (!namesDamagedFile(e, mutation)) {
                failures.add("open refused without naming the damaged file: " + e);
            }
            count(outcomes, "refused at open");
            return failures;
        } catch (RuntimeException | Error e) {
            failures.add("open threw " + e + stackTop(e));
            return failures;
        }
        try {
            Map<Long, String> read = new TreeMap<>();
            Set<Long> oids = new TreeSet<>(seed.state().keySet());
            boolean readRefused = false;
            for (long oid : oids) {
                try {
                    Revision r = storage.load(oid);
                    read.put(oid, r == null ? null : new String(r.data()));
                } catch (StorageException e) {
                    readRefused = true;
                    if (!namesDamagedFile(e, mutation)) {
                        failures.add("load(" + oid + ") refused without naming the damaged file: " + e);
                    }
                } catch (RuntimeException | Error e) {
                    failures.add("load(" + oid + ") threw " + e + stackTop(e));
                }
            }
            if (matches(read, seed.state()) && storage.lastTid() == seed.lastTid()) {
                count(outcomes, readRefused ? "opened, a read refused" : "opened intact");
            } else if (seed.killed() && matches(read, seed.beforeLast()) && storage.lastTid() == seed.tidBeforeLast()
                    && warnings.messages().stream().anyMatch(w -> w.contains("ends after transaction "
                    + seed.tidBeforeLast()))) {
                count(outcomes, "torn last transaction cut, with a warning");
            } else {
                failures.add("silent wrong data: lastTid " + storage.lastTid() + " (seed " + seed.lastTid()
                        + ", before its last commit " + seed.tidBeforeLast() + "), read " + differences(read, seed)
                        + ", warnings " + warnings.messages());
            }
        } finally {
            try {
                storage.close();
            } catch (RuntimeException e) {
                failures.add("close threw " + e);
            }
        }
        return failures;
    }

    private static boolean matches(Map<Long, String> read, Map<Long, String> expected) {
        for (Map.Entry<Long, String> e : read.entrySet()) {
            if (!java.util.Objects.equals(e.getValue(), expected.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static String differences(Map<Long, String> read, FuzzSeed seed) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, String> e : read.entrySet()) {
            String expected = seed.state().get(e.getKey());
            if (!java.util.Objects.equals(e.getValue(), expected)) {
                out.add("oid " + e.getKey() + ": " + abbreviate(e.getValue()) + " instead of " + abbreviate(expected));
            }
        }
        return out.toString();
    }

    private static String abbreviate(String s) {
        return s == null ? "nothing" : s.length() <= 24 ? s : s.substring(0, 24) + "...";
    }

    /** Whether the message names a file the mutation damaged (pack output also under its final name). */
    private static boolean namesDamagedFile(StorageException e, FileMutation mutation) {
        if (mutation == null) {
            return false;
        }
        String message = String.valueOf(e.getMessage());
        for (Path p : mutation.other() == null ? List.of(mutation.file()) : List.of(mutation.file(), mutation.other())) {
            String name = p.getFileName().toString();
            if (message.contains(name) || name.endsWith(".pack") && message.contains(name.replace(".pack", ""))) {
                return true;
            }
        }
        return false;
    }

    private static String stackTop(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length == 0 ? "" : " at " + trace[0];
    }

    private static void count(Map<String, Integer> outcomes, String outcome) {
        synchronized (outcomes) {
            outcomes.merge(outcome, 1, Integer::sum);
        }
    }

    /** The files of a store copy that the selected classes cover, in name order. */
    private static List<Path> targets(Path work) throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(p -> FILES.contains(classOf(p.getFileName().toString()))).sorted().toList();
        }
    }

    private static String classOf(String name) {
        if (name.matches("log-\\d{8}\\.seg")) {
            return "log";
        }
        if (name.equals("index.meta")) {
            return "meta";
        }
        if (name.equals("pack.commit") || name.endsWith(".pack")) {
            return "pack";
        }
        if (name.matches("index-\\d{8}\\.cm")) {
            return "index";
        }
        return "other";
    }

    private static Set<String> fileClasses(String property) {
        return property.equals("all") ? Set.of("log", "meta", "pack", "index") : Set.of(property.split(","));
    }
}
