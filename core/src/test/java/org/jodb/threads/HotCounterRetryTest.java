package org.jodb.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.transaction.TransactionManager;
import org.jodb.transaction.TransientException;
import org.junit.jupiter.api.Test;

/**
 * Four threads, each with its own manager and connection, increment one counter with
 * {@code TransactionManager.run}. Each transaction does a little more than the increment (0.1 ms of other
 * work while it holds its snapshot), as an application's do: then most attempts overlap another thread's
 * commit, and retries at once give up on a large share of the work. With the default pauses between
 * attempts, and the default number of attempts, the threads give up far less often. Counted, not timed.
 */
class HotCounterRetryTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 250;
    private static final long WORK_NANOS = 100_000;

    @Test
    void withBackoffFourThreadsOnOneHotCounterGiveUpFarLessOften() throws Exception {
        int immediate = giveUps(tm -> {
            tm.setDefaultAttempts(3); // ZODB's run: 3 attempts, retried at once
            tm.setRetryBackoff(Duration.ZERO, Duration.ZERO);
        });
        int withDefaults = giveUps(tm -> { });
        System.out.printf("4 threads x %d increments of one counter: %d give-ups with 3 immediate attempts,"
                + " %d with the defaults%n", PER_THREAD, immediate, withDefaults);
        assertTrue(immediate >= THREADS * PER_THREAD / 20,
                "the workload must be contended enough that immediate retries give up on 5% at least: " + immediate);
        assertTrue(withDefaults * 10 <= immediate, withDefaults + " give-ups with the defaults against " + immediate
                + " with immediate retries: expected at most a tenth");
    }

    /** Runs the workload on a new database with managers set up by {@code configure}; the give-ups. */
    private static int giveUps(Consumer<TransactionManager> configure) throws Exception {
        try (Database db = Database.inMemory()) {
            TransactionManager setup = new TransactionManager();
            Connection c = db.open(setup);
            c.root().put("counter", c.create(Account.class, "counter", 0L));
            setup.commit();
            c.close();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                threads.add(pool.submit(() -> {
                    TransactionManager tm = new TransactionManager();
                    configure.accept(tm);
                    int gaveUp = 0;
                    try (Connection conn = db.open(tm)) {
                        start.await();
                        for (int i = 0; i < PER_THREAD; i++) {
                            try {
                                tm.run(() -> {
                                    ((Account) conn.root().get("counter")).deposit(1);
                                    LockSupport.parkNanos(WORK_NANOS); // the rest of the transaction's work
                                });
                            } catch (TransientException conflictAfterTheLastAttempt) {
                                gaveUp++;
                            }
                        }
                    }
                    return gaveUp;
                }));
            }
            start.countDown();
            int gaveUp = 0;
            for (Future<Integer> f : threads) {
                gaveUp += f.get();
            }
            pool.shutdown();
            TransactionManager check = new TransactionManager();
            Connection r = db.open(check);
            assertEquals(THREADS * PER_THREAD - gaveUp, ((Account) r.root().get("counter")).balance(),
                    "every increment that did not give up committed once");
            check.abort();
            r.close();
            return gaveUp;
        }
    }
}
