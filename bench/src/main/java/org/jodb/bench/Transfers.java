package org.jodb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transfers of workloads 2, 5 and 6: random pairs of accounts, committed one transaction at a time by one
 * writer, or by several threads each with its own writer. Shared by the harness and its child JVMs, so that
 * both do the same work.
 *
 * @param accounts      accounts in the store (keys are drawn from {@code 0 .. accounts - 1})
 * @param keysPerUpdate accounts changed per transaction, rounded down to pairs
 */
record Transfers(int accounts, int keysPerUpdate) {

    /** What several writers did: committed transfers, retried conflicts and transfers given up. */
    record Tally(long commits, long retries, long giveUps) {
    }

    /** {@code n} random account numbers, rounded down to pairs (from, to). */
    int[] randomKeys(Random random, int n) {
        int[] keys = new int[n - n % 2];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextInt(accounts);
        }
        return keys;
    }

    /**
     * Up to {@code count} transfers by {@code writer}, stopping at {@code deadline} ({@link System#nanoTime()})
     * after the first; returns how many committed, adding retries and give-ups.
     */
    long run(Store.Writer writer, int count, Random random, long deadline, AtomicLong retries, AtomicLong giveUps) {
        int done = 0;
        int committed = 0;
        while (done < count && (done == 0 || System.nanoTime() < deadline)) {
            try {
                int attempts = writer.transfer(randomKeys(random, keysPerUpdate));
                retries.addAndGet(attempts - 1);
                committed++;
            } catch (Store.GaveUp e) {
                retries.addAndGet(e.attempts - 1);
                giveUps.incrementAndGet();
            }
            done++;
        }
        return committed;
    }

    /**
     * {@code threads} threads, each with its own writer of {@code store} and its own random sequence (seeded
     * {@code seed + t}), each doing up to {@code perThread} transfers until {@code deadline}.
     */
    Tally concurrently(Store store, int threads, int perThread, long seed, long deadline) throws Exception {
        AtomicLong retries = new AtomicLong();
        AtomicLong giveUps = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed + t);
                futures.add(pool.submit(() -> {
                    try (Store.Writer writer = store.writer()) {
                        return run(writer, perThread, random, deadline, retries, giveUps);
                    }
                }));
            }
            long commits = 0;
            for (Future<Long> f : futures) {
                commits += f.get();
            }
            return new Tally(commits, retries.get(), giveUps.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
