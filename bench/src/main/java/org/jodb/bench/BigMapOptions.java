package org.jodb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a {@code --bigmap} run measures. {@link #parse} reads the command line (without {@code --bigmap}).
 *
 * @param quick      {@code --quick}: smaller sizes, and the report goes to {@code bigmap-quick.md}
 * @param big        {@code --big}: 10,000,000 entries, and the report goes to {@code bigmap-big.md}
 * @param stores     the stores, in the order of the table's columns
 * @param entries    entries in the map
 * @param batch      entries per commit while building it
 * @param gets       random gets per round (workload 6), after the first one
 * @param scans      range scans per round (workload 7)
 * @param scanLength consecutive keys per scan
 * @param rounds     rounds; each round opens every store cold, in an order that rotates from round to round
 * @param settleMillis how long the heap must stay unchanged before a store opens (its baseline)
 * @param dataDir    where the stores are built (deleted after the run)
 * @param outDir     where the report goes
 */
record BigMapOptions(boolean quick, boolean big, List<String> stores, int entries, int batch, int gets, int scans, int scanLength,
                     int rounds, long settleMillis, Path dataDir, Path outDir) {

    static final String USAGE = String.join("\n",
            "usage: java -jar bench/target/jodb-bench.jar --bigmap [--quick | --big] [--stores "
                    + String.join(",", BigMapStores.ALL) + "]",
            "           [--entries N] [--batch N] [--gets N] [--scans N] [--rounds N] [--settle MILLIS]",
            "           [--data DIR] [--out DIR]",
            "           (workloads 6 and 7: cold random gets and range scans in a map of 1,000,000 entries;",
            "            --quick 100,000 entries, 1,000 gets, 100 scans; --big 10,000,000 entries, without",
            "            eclipsestore unless --stores names it;",
            "            --settle: how long the heap must stay unchanged before a store opens, default 2000)");

    static BigMapOptions parse(String... args) {
        List<String> list = Arrays.asList(args);
        boolean quick = list.contains("--quick");
        boolean big = list.contains("--big");
        if (quick && big) {
            throw new IllegalArgumentException("--quick and --big contradict each other: give one of them\n" + USAGE);
        }
        // EclipseStore's TreeMap rewrites all its entries at every commit and loads whole at open: 10,000,000
        // entries would take hours to build and about 4.5 GB of heap to open, so --big leaves it out unless named.
        List<String> stores = big ? BigMapStores.ALL.stream().filter(s -> !s.equals("eclipsestore")).toList()
                : BigMapStores.ALL;
        int entries = quick ? 100_000 : big ? 10_000_000 : 1_000_000;
        int batch = 10_000;
        int gets = quick ? 1_000 : 10_000;
        int scans = quick ? 100 : 1_000;
        int rounds = quick ? 3 : 5;
        long settle = 2_000;
        Path base = Files.isDirectory(Path.of("bench", "src")) ? Path.of("bench") : Path.of(".");
        Path data = base.resolve("target").resolve("bench-data");
        Path out = base.resolve("results");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick", "--big" -> { }
                case "--stores" -> stores = stores(value(args, ++i, a));
                case "--entries" -> entries = positive(value(args, ++i, a), a);
                case "--batch" -> batch = positive(value(args, ++i, a), a);
                case "--gets" -> gets = positive(value(args, ++i, a), a);
                case "--scans" -> scans = positive(value(args, ++i, a), a);
                case "--rounds" -> rounds = positive(value(args, ++i, a), a);
                case "--settle" -> settle = positive(value(args, ++i, a), a);
                case "--data" -> data = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "' for --bigmap\n" + USAGE);
            }
        }
        int scanLength = 100;
        if (entries < scanLength) {
            throw new IllegalArgumentException("--entries " + entries + " is below the " + scanLength
                    + " consecutive keys a scan reads: give at least " + scanLength);
        }
        return new BigMapOptions(quick, big, stores, entries, Math.min(batch, entries), gets, scans, scanLength, rounds,
                settle, data, out);
    }

    /** The report's file name: {@code bigmap.md}, {@code bigmap-quick.md} or {@code bigmap-big.md}. */
    String reportFile() {
        return quick ? "bigmap-quick.md" : big ? "bigmap-big.md" : "bigmap.md";
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int positive(String s, String option) {
        int n;
        try {
            n = Integer.parseInt(s.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + s + "'");
        }
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be positive: " + s);
        }
        return n;
    }

    private static List<String> stores(String s) {
        List<String> result = new ArrayList<>();
        for (String name : s.split(",")) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (!BigMapStores.ALL.contains(n)) {
                throw new IllegalArgumentException("unknown store '" + name + "': use "
                        + String.join(",", BigMapStores.ALL));
            }
            result.add(n);
        }
        return List.copyOf(result);
    }
}
