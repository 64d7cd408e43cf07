package org.jodb.internal.object;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every connection of one database counts for the database's statistics: commits, conflicts, the
 * retries and give-ups of {@code TransactionManager.run}, records loaded and stored, cache hits, packs
 * done and running.
 * Counted by many connection threads at once, read by any thread: each figure is a {@link LongAdder}, so a
 * count costs no lock and no shared cache line (as Caffeine's cache statistics are kept).
 */
public final class DatabaseCounters {
    final LongAdder commits = new LongAdder();
    final LongAdder conflicts = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder giveUps = new LongAdder();
    final LongAdder loads = new LongAdder();
    final LongAdder stores = new LongAdder();
    final LongAdder hits = new LongAdder();
    private final LongAdder packs = new LongAdder();
    private final AtomicInteger packsRunning = new AtomicInteger();
    /**
     * The transaction whose failed attempt was counted last: two connections of this database in it count it
     * once. Held weakly: an ended transaction must not keep what it joined reachable.
     */
    private final AtomicReference<WeakReference<Object>> lastFailedAttempt =
            new AtomicReference<>(new WeakReference<>(null));

    public long commits() {
        return commits.sum();
    }

    public long conflicts() {
        return conflicts.sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long giveUps() {
        return giveUps.sum();
    }

    public long loads() {
        return loads.sum();
    }

    public long stores() {
        return stores.sum();
    }

    public long hits() {
        return hits.sum();
    }

    public long packs() {
        return packs.sum();
    }

    /** Packs running now. */
    public int packsRunning() {
        return packsRunning.get();
    }

    /**
     * An attempt of {@code TransactionManager.run} in which a connection of this database took part failed
     * and was aborted: a retryable failure counts as a retry when another attempt follows, else as a give-up.
     */
    void attemptFailed(Object transaction, boolean retryable, boolean retrying) {
        if (!retryable || lastFailedAttempt.getAndSet(new WeakReference<>(transaction)).get() == transaction) {
            return;
        }
        (retrying ? retries : giveUps).increment();
    }

    /** A pack starts. */
    public void packStarted() {
        packsRunning.incrementAndGet();
    }

    /** A pack that started ended, done or failed. */
    public void packEnded() {
        packs.increment();
        packsRunning.decrementAndGet();
    }
}
