package org.jodb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;

/**
 * The cost of one key lookup in a large {@link PersistentMap} once everything it reads is loaded: a map of
 * 100,000 accounts (the peer run's accounts map, in its chunked form with its hash index) on the memory
 * storage, then rounds of random {@code get}s in one transaction, each round timed as a whole. No disk, no
 * commit: what is left is the lookup itself (the map's own record, the hash index's nodes, the chunk) and
 * the bookkeeping of every object it passes. Run it under a profiler to see where a lookup's time goes:
 *
 * <pre>
 * java -cp bench/target/jodb-bench.jar org.jodb.bench.WarmGetProbe [entries] [gets per round] [rounds]
 * </pre>
 *
 * <p>It prints the thread's CPU time per get for every round (not wall time, which a machine busy with
 * other work inflates by the time the thread waits for a core), then the best and the median of the second half (the
 * first rounds run before the JIT has compiled the path). It uses only the public API, so the same class runs against an older
 * build put after it on the class path.
 */
public final class WarmGetProbe {
    private WarmGetProbe() {
    }

    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int gets = args.length > 1 ? Integer.parseInt(args[1]) : 1 << 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        Database db = Database.open(new MemoryStorage());
        try {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            PersistentMap<String, Account> map = new PersistentMap<>();
            conn.root().put("accounts", map);
            for (int i = 0; i < entries; i++) {
                map.put("acct-" + i, conn.create(Account.class, "owner-" + i, 1_000L, 0L));
            }
            tm.commit();
            String[] keys = new String[gets];
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < gets; i++) {
                keys[i] = "acct-" + random.nextInt(entries);
            }
            long sink = 0;
            double[] perGet = new double[rounds];
            ThreadMXBean threads = ManagementFactory.getThreadMXBean(); // CPU time: robust to a busy machine
            for (int round = 0; round < rounds; round++) {
                long start = threads.getCurrentThreadCpuTime();
                for (String key : keys) {
                    sink += map.get(key) == null ? 1 : 0; // the account is not called: the lookup alone
                }
                perGet[round] = (threads.getCurrentThreadCpuTime() - start) / (double) gets;
                System.out.printf("round %d: %.0f ns per get%n", round + 1, perGet[round]);
            }
            // the second half only (compiled), and its best round beside its median: on a machine shared
            // with other work, the best round is the one least disturbed
            double[] late = Arrays.copyOfRange(perGet, rounds / 2, rounds);
            Arrays.sort(late);
            System.out.printf("last %d rounds: best %.0f ns, median %.0f ns per get%n", late.length, late[0],
                    late[late.length / 2]);
            if (sink != 0) {
                throw new IllegalStateException(sink + " keys were not found");
            }
            tm.abort();
        } finally {
            db.close();
        }
    }
}
