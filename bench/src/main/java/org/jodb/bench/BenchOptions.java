package org.jodb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What one run measures: sizes, rounds, stores and workloads. {@link #parse} reads the command line;
 * {@code --quick} shrinks the sizes so that a run stays under 3 minutes on 2 cores, the full run
 * under 15.
 *
 * @param accounts         accounts inserted (workload 1) and read back (workload 4)
 * @param batch            accounts per insert transaction
 * @param updates          transactions of workloads 2 and 5 (split among the threads for 5)
 * @param keysPerUpdate    accounts changed per transaction (in transfer pairs)
 * @param savepointChanges accounts changed before the savepoint, and again after it (workload 3)
 * @param threads          writer threads of workload 5
 * @param rounds           rounds; each round runs every store once per mode, in rotating order
 * @param capSeconds       workloads 2 and 5 stop after this long and report the rate so far
 */
record BenchOptions(boolean quick, List<String> stores, Set<Workload> workloads, Set<Durability> modes,
                    int accounts, int batch, int updates, int keysPerUpdate, int savepointChanges, int threads,
                    int rounds, double capSeconds, Path dataDir, Path outDir) {

    static final List<String> ALL_STORES = List.of("jodb", "jodb-tree", "mvstore", "eclipsestore", "mapdb");
    /** Stores on the PostgreSQL server JODB_PG_URL names, run only when asked for by --stores. */
    static final List<String> POSTGRES_STORES = List.of("jodb-postgres", "jodb-postgres-prefetch", "jdbc-postgres");

    static final String USAGE = String.join("\n",
            "usage: java -jar bench/target/jodb-bench.jar [--quick] [--stores jodb,jodb-tree,mvstore,eclipsestore,mapdb]",
            "           (and, on the server JODB_PG_URL names, --stores jodb-postgres,jdbc-postgres --modes sync)",
            "           [--workloads 1,2,3,4,5,8] [--modes sync,deferred] [--rounds N] [--accounts N]",
            "           [--updates N] [--cap SECONDS] [--data DIR] [--out DIR]",
            "       java -jar bench/target/jodb-bench.jar --scaling [--quick] [--stores ...] [--modes ...]",
            "           (1/2/4/8 writer threads on disjoint and shared accounts)",
            "       java -jar bench/target/jodb-bench.jar --storage [--quick] [--rounds N] [--accounts N] [--data DIR]",
            "           (the storage alone against its targets: bench/README.md; --accounts objects, 10x that for the open)",
            "       java -jar bench/target/jodb-bench.jar --bigmap [--quick | --big] [--stores ...] [--entries N] ...",
            "           (workloads 6-7: cold gets and range scans in a large map; --bigmap --help for its options)",
            "       java -jar bench/target/jodb-bench.jar --jmh [JMH options]   (microbenchmarks)");

    static BenchOptions parse(String... args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        List<String> stores = ALL_STORES;
        Set<Workload> workloads = EnumSet.allOf(Workload.class);
        Set<Durability> modes = EnumSet.allOf(Durability.class);
        int accounts = quick ? 20_000 : 100_000;
        int updates = quick ? 2_000 : 10_000;
        int savepointChanges = quick ? 5_000 : 10_000;
        int rounds = quick ? 3 : 5;
        double cap = quick ? 3 : 10;
        Path base = Files.isDirectory(Path.of("bench", "src")) ? Path.of("bench") : Path.of(".");
        Path data = base.resolve("target").resolve("bench-data");
        Path out = base.resolve("results");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> { }
                case "--stores" -> stores = stores(value(args, ++i, a));
                case "--workloads" -> workloads = workloads(value(args, ++i, a));
                case "--modes" -> modes = modes(value(args, ++i, a));
                case "--rounds" -> rounds = positive(value(args, ++i, a), a);
                case "--accounts" -> accounts = positive(value(args, ++i, a), a);
                case "--updates" -> updates = positive(value(args, ++i, a), a);
                case "--cap" -> cap = Double.parseDouble(value(args, ++i, a));
                case "--data" -> data = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
        }
        int batch = Math.min(1_000, accounts);
        return new BenchOptions(quick, stores, workloads, modes, accounts, batch, updates, 10,
                Math.min(savepointChanges, accounts), 8, rounds, cap, data, out);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int positive(String s, String option) {
        int n = Integer.parseInt(s.replace("_", "").replace(",", ""));
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be positive: " + s);
        }
        return n;
    }

    private static List<String> stores(String s) {
        List<String> result = new ArrayList<>();
        for (String name : s.split(",")) {
            String n = name.trim().toLowerCase(java.util.Locale.ROOT);
            if (!ALL_STORES.contains(n) && !POSTGRES_STORES.contains(n)) {
                throw new IllegalArgumentException("unknown store '" + name + "': use " + String.join(",", ALL_STORES)
                        + " or, with JODB_PG_URL set, " + String.join(",", POSTGRES_STORES));
            }
            result.add(n);
        }
        return List.copyOf(result);
    }

    private static Set<Workload> workloads(String s) {
        Set<Workload> result = EnumSet.noneOf(Workload.class);
        for (String w : s.split(",")) {
            result.add(Workload.parse(w));
        }
        return result;
    }

    private static Set<Durability> modes(String s) {
        Set<Durability> result = EnumSet.noneOf(Durability.class);
        for (String m : s.split(",")) {
            switch (m.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "sync", "fsync" -> result.add(Durability.SYNC);
                case "deferred" -> result.add(Durability.DEFERRED);
                default -> throw new IllegalArgumentException("unknown mode '" + m + "': use sync,deferred");
            }
        }
        return result;
    }
}
