package org.jodb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.transaction.TransactionManager;

/**
 * The peer run's workload 2 alone, timed by the committing thread's CPU time instead of the wall clock, so
 * that two builds can be compared on a machine busy with other work: 100,000 accounts in a
 * {@link PersistentMap} under the root, inserted 1,000 per commit on the file storage in deferred mode, then a
 * new connection (its cache cold, as in the peer run) commits transactions of 10 random account changes. It
 * prints the CPU time and the records loaded per commit for each block of transactions: the first blocks load
 * what the later ones find in the cache.
 *
 * <pre>
 * java -cp bench/target/jodb-bench.jar org.jodb.bench.TransferProbe [data dir] [blocks] [commits per block] [cache size] [writers]
 * </pre>
 *
 * <p>With more than one writer (workload 5), each writer thread opens its own connection (cold, as in the peer
 * run) and commits its share of each block through {@code TransactionManager.run} (which retries the rare
 * conflict); the probe prints the CPU time of all writers per commit, the wall-clock commits per second, and
 * the records loaded per commit. CPU per commit above one writer's is work the writers add (their cold caches,
 * spinning); wall time beyond CPU time over the cores is waiting.
 *
 * <p>It uses only the public API, so the same class runs against an older build put after it on the class
 * path. The JVM needs the flags Chronicle Map needs (the jar's manifest carries them for {@code -jar} only:
 * name them with {@code --add-opens}/{@code --add-exports} as the root {@code pom.xml}'s
 * {@code jodb.jvm.flags} does).
 */
public final class TransferProbe {
    private static final int ACCOUNTS = 100_000;

    private TransferProbe() {
    }

    /**
     * The accounts, 1,000 per commit, in a map at the root named {@code accounts} (a method of its own, so that a
     * profile tells it from the transfers; {@link ColdWritersProbe} fills its stores with it too).
     */
    static void fill(Connection c, TransactionManager tm) {
        Map<String, Account> map = new PersistentMap<>();
        c.root().put("accounts", map);
        for (int i = 0; i < ACCOUNTS; i++) {
            map.put(Keys.key(i), c.create(Account.class, "owner-" + i, Keys.INITIAL_BALANCE, 0L));
            if (i % 1_000 == 999) {
                tm.commit();
            }
        }
        tm.commit();
    }

    /** {@code count} transactions of 5 transfers between random accounts, each committed. */
    private static void transfers(Connection c, TransactionManager tm, SplittableRandom random, int count) {
        for (int t = 0; t < count; t++) {
            @SuppressWarnings("unchecked")
            Map<String, Account> accounts = (Map<String, Account>) c.root().get("accounts");
            for (int k = 0; k < 5; k++) {
                accounts.get(Keys.key(random.nextInt(ACCOUNTS))).deposit(-1);
                accounts.get(Keys.key(random.nextInt(ACCOUNTS))).deposit(1);
            }
            tm.commit();
        }
    }

    /**
     * The records {@code c} loaded so far, or -1 on a build without transfer counts (the probe also runs
     * against older builds): the reloads a cache that is too small for the map's index costs show here.
     */
    private static long loads(Connection c) {
        try {
            return c.transferCounts().loads();
        } catch (NoSuchMethodError older) {
            return -1;
        }
    }

    /**
     * {@code writers} threads, each with a connection of its own, committing {@code perBlock / writers}
     * transactions per block; the main thread prints each block's figures once all writers finished it.
     */
    private static void concurrentBlocks(Database db, int writers, int blocks, int perBlock) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int share = Math.max(1, perBlock / writers);
        AtomicLong cpuNanos = new AtomicLong();
        AtomicLong loads = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(writers + 1);
        CyclicBarrier end = new CyclicBarrier(writers + 1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            SplittableRandom random = new SplittableRandom(42 + w);
            Thread t = new Thread(() -> {
                TransactionManager tm = new TransactionManager(false);
                Connection c = db.open(tm);
                try {
                    for (int block = 1; block <= blocks; block++) {
                        start.await();
                        long loadsBefore = loads(c);
                        long before = cpu.getCurrentThreadCpuTime();
                        try {
                            for (int i = 0; i < share; i++) {
                                tm.run(() -> transfers(c, random));
                            }
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, e);
                        }
                        cpuNanos.addAndGet(cpu.getCurrentThreadCpuTime() - before);
                        loads.addAndGet(loads(c) - loadsBefore);
                        end.await();
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    tm.abort();
                    c.close();
                }
            }, "writer-" + w);
            threads.add(t);
            t.start();
        }
        int commits = share * writers;
        for (int block = 1; block <= blocks; block++) {
            cpuNanos.set(0);
            loads.set(0);
            start.await();
            long t0 = System.nanoTime();
            end.await();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("block %d: %.1f us of CPU per commit (%d writers), %.0f commits/s, %.2f records loaded"
                    + " per commit%n", block, cpuNanos.get() / 1_000.0 / commits, writers, commits / seconds,
                    (double) loads.get() / commits);
            if (failure.get() != null) {
                throw new IllegalStateException("a writer failed", failure.get());
            }
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** One transaction's 5 transfers between random accounts, not committed. */
    @SuppressWarnings("unchecked")
    private static void transfers(Connection c, SplittableRandom random) {
        Map<String, Account> accounts = (Map<String, Account>) c.root().get("accounts");
        for (int k = 0; k < 5; k++) {
            accounts.get(Keys.key(random.nextInt(ACCOUNTS))).deposit(-1);
            accounts.get(Keys.key(random.nextInt(ACCOUNTS))).deposit(1);
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "bench/target"), "transfer-probe");
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int perBlock = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        Database.Options settings = new Database.Options(); // the default cache of 10,000 objects, or:
        if (args.length > 3) {
            settings.cacheSize(Integer.parseInt(args[3]));
        }
        StorageOptions options = StorageOptions.builder().durability(StorageOptions.Durability.DEFERRED).build();
        try (Database db = Database.open(MappedFileStorage.open(dir, options), settings)) {
            TransactionManager loader = new TransactionManager(false);
            Connection first = db.open(loader);
            fill(first, loader);
            int writers = args.length > 4 ? Integer.parseInt(args[4]) : 1;
            if (writers > 1) {
                concurrentBlocks(db, writers, blocks, perBlock);
                first.close();
                return;
            }
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            SplittableRandom random = new SplittableRandom(42);
            for (int block = 1; block <= blocks; block++) {
                long loadsBefore = loads(c);
                long start = threads.getCurrentThreadCpuTime();
                transfers(c, tm, random, perBlock);
                long cpu = threads.getCurrentThreadCpuTime() - start;
                long loads = loads(c) - loadsBefore;
                System.out.printf("block %d: %.1f us of CPU per commit, %s records loaded per commit%n", block,
                        cpu / 1_000.0 / perBlock, loads < 0 ? "?" : String.format("%.2f", (double) loads / perBlock));
            }
            c.close();
            first.close();
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
