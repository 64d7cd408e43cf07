package org.jodb.bench;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.transaction.TransactionManager;

/**
 * Workload 5 in the shape of the peer run, round after round in one JVM, with the CPU time of every thread of
 * the JVM: each round a new store of 100,000 accounts in a {@code PersistentMap} (inserted 1,000 per commit),
 * then 8 writer threads, each with a new connection (its cache cold), committing 1,250 transfers of 10 random
 * accounts each. It prints each round's commits per second and the CPU time the round took by thread kind (the
 * writers, the JIT compilers, the collector's threads), so that one sees what else than the writers' own work
 * the round pays for. Linux only (it reads {@code /proc/self/task}).
 *
 * <pre>
 * java $FLAGS -cp bench/target/jodb-bench.jar org.jodb.bench.ColdWritersProbe [data dir] [rounds] [sync|deferred] [warm]
 * </pre>
 *
 * <p>With {@code warm}, each writer looks up every key once (loading the map's chunks and hash index, not the
 * accounts) before the clock starts: the difference is what the writers' warm-up costs. It uses only jodb's
 * public API, so it runs, with the bench classes it calls ({@code TransferProbe}, {@code PeerBenchmark}),
 * against an older build of jodb put after them on the class path; the JVM needs the flags Chronicle Map needs
 * (the root {@code pom.xml}'s {@code jodb.jvm.flags}).
 */
public final class ColdWritersProbe {
    private static final int ACCOUNTS = 100_000;
    private static final int WRITERS = 8;
    private static final int PER_WRITER = 1_250;

    private ColdWritersProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : "bench/target");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        boolean sync = args.length > 2 && args[2].equals("sync");
        boolean warm = args.length > 3 && args[3].equals("warm");
        StorageOptions options = StorageOptions.builder()
                .durability(sync ? StorageOptions.Durability.SYNC : StorageOptions.Durability.DEFERRED).build();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int round = 1; round <= rounds; round++) {
                Path dir = base.resolve("cold-writers-" + round);
                PeerBenchmark.deleteRecursively(dir);
                Files.createDirectories(dir);
                try (Database db = Database.open(MappedFileStorage.open(dir, options))) {
                    fill(db);
                    round(db, pool, round, warm);
                }
                PeerBenchmark.deleteRecursively(dir);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void fill(Database db) {
        TransactionManager tm = new TransactionManager(false);
        TransferProbe.fill(db.open(tm), tm); // the connection is left open, as the peer run's main connection is
    }

    private static void round(Database db, ExecutorService pool, int round, boolean warm) throws Exception {
        CountDownLatch ready = new CountDownLatch(WRITERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            long seed = round * 100L + w;
            writers.add(pool.submit(() -> {
                TransactionManager tm = new TransactionManager(false);
                Connection c = db.open(tm);
                if (warm) {
                    Map<String, Account> map = accounts(c);
                    for (int i = 0; i < ACCOUNTS; i++) {
                        map.containsKey(Keys.key(i));
                    }
                    tm.abort();
                }
                SplittableRandom random = new SplittableRandom(seed);
                ready.countDown();
                go.await();
                for (int i = 0; i < PER_WRITER; i++) {
                    tm.run(() -> {
                        Map<String, Account> map = accounts(c);
                        for (int k = 0; k < 5; k++) {
                            map.get(Keys.key(random.nextInt(ACCOUNTS))).deposit(-1);
                            map.get(Keys.key(random.nextInt(ACCOUNTS))).deposit(1);
                        }
                    });
                }
                return null; // the connection stays open until the database closes, as in the peer run's round
            }));
        }
        ready.await();
        System.gc();
        Map<String, Long> before = cpuByThreadKind();
        long t0 = System.nanoTime();
        go.countDown();
        for (Future<?> f : writers) {
            f.get();
        }
        long wall = System.nanoTime() - t0;
        Map<String, Long> after = cpuByThreadKind();
        StringBuilder cpu = new StringBuilder();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long ms = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) * 10; // clock ticks of 10 ms
            if (ms > 0) {
                cpu.append(String.format("  %s %d ms", e.getKey(), ms));
            }
        }
        System.out.printf("round %2d  %,7.0f commits/s  wall %4d ms  cpu:%s%n", round,
                WRITERS * PER_WRITER / (wall / 1e9), wall / 1_000_000, cpu);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Account> accounts(Connection c) {
        return (Map<String, Account>) c.root().get("accounts");
    }

    /** Clock ticks of user and system time by thread kind: the thread's name without its number. */
    private static Map<String, Long> cpuByThreadKind() throws Exception {
        Map<String, Long> ticks = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[#0-9]+$", "");
                    if (name.startsWith("pool-")) {
                        name = "writers";
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (java.io.IOException ended) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return ticks;
    }
}
