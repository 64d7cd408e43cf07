package org.jodb.transaction;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;

/**
 * The pause before a retry of {@link TransactionManager#run} and {@link TransactionManager#attempts}: bounded
 * exponential backoff with full jitter. Before attempt {@code n} (2 or later) it pauses for a random time
 * between 0 and {@code first · 2^(n-2)}, never more than {@code max}.
 *
 * <p>Why: a conflict means other threads committed the same objects meanwhile. Retrying at once meets them
 * again, still mid-transaction, and a few unlucky retries in a row exhaust the attempts (4 threads on one hot
 * counter gave up on 4-5% of their work with 3 attempts). A pause lets the others finish; the jitter keeps two
 * threads that conflicted with each other from retrying in step; the doubling spreads them wider the more they
 * collide; the bound keeps one piece of work from waiting long.
 *
 * <p>Immutable; safe to share between threads.
 */
final class Backoff {
    /** No pause: retry at once, as ZODB does. */
    static final Backoff NONE = new Backoff(Duration.ZERO, Duration.ZERO);

    private final long firstNanos;
    private final long maxNanos;
    /** Draws a pause from 0 to the bound given, inclusive; replaced by tests. */
    private final LongUnaryOperator draw;

    Backoff(Duration first, Duration max) {
        // bound + 1 would overflow for a bound of Long.MAX_VALUE (a max of some 292 years): draw below it then
        this(first, max, bound -> ThreadLocalRandom.current().nextLong(bound == Long.MAX_VALUE ? bound : bound + 1));
    }

    Backoff(Duration first, Duration max, LongUnaryOperator draw) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || max.isNegative() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("retry backoff needs 0 <= first <= max, got first " + first
                    + " and max " + max + "; Duration.ZERO for both retries at once");
        }
        this.firstNanos = saturatedNanos(first);
        this.maxNanos = saturatedNanos(max);
        this.draw = draw;
    }

    private static long saturatedNanos(Duration d) {
        return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toNanos();
    }

    Duration first() {
        return Duration.ofNanos(firstNanos);
    }

    Duration max() {
        return Duration.ofNanos(maxNanos);
    }

    /** The longest pause before attempt {@code next} (2 or later): {@code first · 2^(next-2)}, at most max. */
    long boundNanos(int next) {
        int doublings = Math.max(0, next - 2);
        if (firstNanos == 0) {
            return 0;
        }
        if (doublings >= Long.numberOfLeadingZeros(firstNanos) - 1) {
            return maxNanos; // the doubling would overflow: far beyond any max
        }
        return Math.min(maxNanos, firstNanos << doublings);
    }

    /** A pause before attempt {@code next}, drawn uniformly from 0 to {@link #boundNanos}. */
    long pauseNanos(int next) {
        long bound = boundNanos(next);
        return bound == 0 ? 0 : draw.applyAsLong(bound);
    }

    /**
     * Pauses before attempt {@code next}. An interrupt cuts the pause short and stays set (the attempt
     * follows, and work that checks for interrupts sees it).
     */
    void pause(int next) {
        long nanos = pauseNanos(next);
        long deadline = System.nanoTime() + nanos;
        while (nanos > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(this, nanos); // not Thread.sleep: on JDK 17 it rounds up to whole milliseconds
            nanos = deadline - System.nanoTime();
        }
    }

    @Override
    public String toString() {
        return "Backoff[first " + first() + ", max " + max() + "]";
    }
}
