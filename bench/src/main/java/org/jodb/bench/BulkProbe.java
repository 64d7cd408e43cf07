package org.jodb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.transaction.TransactionManager;

/**
 * The peer run's workloads 1 and 4 for jodb alone, timed by the thread's CPU time as well as the wall clock,
 * so that two builds can be compared on a machine busy with other work: 100,000 accounts put into a
 * {@link PersistentMap} under the root, 1,000 per commit, on the file storage; then close, a cold open and a
 * read of every account through the map. Each round uses a new directory; the figures are per account.
 *
 * <pre>
 * java $FLAGS -cp bench/target/jodb-bench.jar org.jodb.bench.BulkProbe [data dir] [rounds] [sync|deferred] [accounts]
 * </pre>
 *
 * <p>It uses only the public API, so the same class runs against an older build put after it on the class
 * path. The bytes are those the probing thread allocated (other threads' allocations, the flusher's, are not
 * counted): unlike the times, they hardly move with the machine's load. The JVM needs the flags Chronicle Map
 * needs (the root {@code pom.xml}'s {@code jodb.jvm.flags}).
 */
public final class BulkProbe {
    private BulkProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : "bench/target");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean sync = args.length > 2 && args[2].equals("sync");
        int accounts = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
        StorageOptions options = StorageOptions.builder()
                .durability(sync ? StorageOptions.Durability.SYNC : StorageOptions.Durability.DEFERRED).build();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
        long self = Thread.currentThread().getId();
        System.out.printf("round  insert cpu ns  insert wall ns  insert bytes  read cpu ns  read wall ns  read bytes"
                + "   (per account, %s)%n", sync ? "sync" : "deferred");
        for (int round = 1; round <= rounds; round++) {
            Path dir = base.resolve("bulk-probe-" + round);
            delete(dir);
            Files.createDirectories(dir);
            System.gc();
            long bytes0 = allocations.getThreadAllocatedBytes(self);
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            try (Database db = Database.open(MappedFileStorage.open(dir, options))) {
                insert(db, accounts);
            }
            long cpu1 = threads.getCurrentThreadCpuTime();
            long bytes1 = allocations.getThreadAllocatedBytes(self);
            long wall1 = System.nanoTime();
            System.gc();
            long bytes2 = allocations.getThreadAllocatedBytes(self);
            long cpu2 = threads.getCurrentThreadCpuTime();
            long wall2 = System.nanoTime();
            long sum;
            try (Database db = Database.open(MappedFileStorage.open(dir, options))) {
                sum = readAll(db);
            }
            long cpu3 = threads.getCurrentThreadCpuTime();
            long bytes3 = allocations.getThreadAllocatedBytes(self);
            long wall3 = System.nanoTime();
            if (sum != (long) accounts * Keys.INITIAL_BALANCE) {
                throw new IllegalStateException("read back a total of " + sum);
            }
            System.out.printf("%5d  %13d  %14d  %12d  %11d  %12d  %10d%n", round, (cpu1 - cpu0) / accounts,
                    (wall1 - wall0) / accounts, (bytes1 - bytes0) / accounts, (cpu3 - cpu2) / accounts,
                    (wall3 - wall2) / accounts, (bytes3 - bytes2) / accounts);
            delete(dir);
        }
    }

    /** Workload 1 (a method of its own, so that a profile tells it from the read). */
    private static void insert(Database db, int accounts) {
        TransactionManager tm = new TransactionManager(false);
        try (Connection c = db.open(tm)) {
            Map<String, Account> map = new PersistentMap<>();
            c.root().put("accounts", map);
            tm.commit();
            for (int i = 0; i < accounts; i++) {
                map.put(Keys.key(i), c.create(Account.class, "owner-" + i, Keys.INITIAL_BALANCE, 0L));
                if (i % 1_000 == 999) {
                    tm.commit();
                }
            }
            tm.commit();
        }
    }

    /** Workload 4's read (a method of its own, so that a profile tells it from the insert). */
    @SuppressWarnings("unchecked")
    private static long readAll(Database db) {
        TransactionManager tm = new TransactionManager(false);
        try (Connection c = db.open(tm)) {
            long[] sum = {0};
            ((Map<String, Account>) c.root().get("accounts")).forEach((k, a) -> sum[0] += a.getBalance());
            tm.abort();
            return sum[0];
        }
    }

    private static void delete(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
