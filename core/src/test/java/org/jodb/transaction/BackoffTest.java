package org.jodb.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pause before a retry: bounded, doubling, jittered; and where run and attempts take it. */
class BackoffTest {
    private static final long MS = 1_000_000;

    /** Records the bound of every pause drawn, and pauses for none of them. */
    private static final class Recorder {
        final List<Long> bounds = new ArrayList<>();

        Backoff backoff(Duration first, Duration max) {
            return new Backoff(first, max, bound -> {
                bounds.add(bound);
                return 0;
            });
        }
    }

    @Test
    void theBoundDoublesFromFirstUpToMax() {
        Backoff b = new Backoff(Duration.ofMillis(2), Duration.ofMillis(100));
        assertEquals(List.of(2 * MS, 4 * MS, 8 * MS, 16 * MS, 32 * MS, 64 * MS, 100 * MS, 100 * MS),
                List.of(b.boundNanos(2), b.boundNanos(3), b.boundNanos(4), b.boundNanos(5), b.boundNanos(6),
                        b.boundNanos(7), b.boundNanos(8), b.boundNanos(9)));
        assertEquals(100 * MS, b.boundNanos(1_000), "no overflow however many attempts");
        assertEquals(Long.MAX_VALUE, new Backoff(Duration.ofNanos(1), Duration.ofSeconds(Long.MAX_VALUE)).boundNanos(200));
    }

    @Test
    void aBoundOfLongMaxValueIsDrawnFromToo() {
        Backoff forever = new Backoff(Duration.ofNanos(1), Duration.ofSeconds(Long.MAX_VALUE));
        for (int i = 0; i < 1_000; i++) {
            assertTrue(forever.pauseNanos(200) >= 0, "a pause is never negative");
        }
    }

    @Test
    void pausesAreDrawnBetweenZeroAndTheBound() {
        Backoff b = new Backoff(Duration.ofMillis(2), Duration.ofMillis(100));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long pause = b.pauseNanos(3);
            assertTrue(pause >= 0 && pause <= 4 * MS, "pause " + pause);
            min = Math.min(min, pause);
            max = Math.max(max, pause);
        }
        assertTrue(min < MS && max > 3 * MS, "jittered over the whole range: " + min + ".." + max);
    }

    @Test
    void noBackoffNeverPauses() {
        assertEquals(0, Backoff.NONE.pauseNanos(2));
        assertEquals(0, Backoff.NONE.pauseNanos(50));
    }

    @Test
    void badDurationsAreRefusedWithTheRule() {
        TransactionManager tm = new TransactionManager();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tm.setRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(1)));
        assertTrue(e.getMessage().contains("0 <= first <= max"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tm.setRetryBackoff(Duration.ofMillis(-1), Duration.ZERO));
        assertThrows(NullPointerException.class, () -> tm.setRetryBackoff(null, Duration.ZERO));
    }

    @Test
    void anInterruptCutsThePauseShortAndStaysSet() {
        Backoff b = new Backoff(Duration.ofDays(1), Duration.ofDays(1), bound -> bound);
        Thread.currentThread().interrupt();
        try {
            b.pause(2); // a day, unless the interrupt ends it
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void runPausesBeforeEachRetryOnly() {
        TransactionManager tm = new TransactionManager();
        Recorder recorder = new Recorder();
        tm.setBackoff(recorder.backoff(Duration.ofMillis(2), Duration.ofMillis(5)));
        int[] tries = {0};
        assertEquals("done", tm.run(4, () -> {
            if (++tries[0] < 4) {
                throw new TransientException("conflict");
            }
            return "done";
        }));
        assertEquals(List.of(2 * MS, 4 * MS, 5 * MS), recorder.bounds, "before attempts 2, 3 and 4");
        recorder.bounds.clear();
        tm.run(4, () -> "at once");
        assertEquals(List.of(), recorder.bounds, "no pause before a first attempt");
    }

    @Test
    void theAttemptsLoopPausesBeforeEachRetryToo() {
        TransactionManager tm = new TransactionManager();
        Recorder recorder = new Recorder();
        tm.setBackoff(recorder.backoff(Duration.ofMillis(1), Duration.ofMillis(1)));
        int turns = 0;
        for (Attempt attempt : tm.attempts(3)) {
            try (attempt) {
                if (++turns < 3) {
                    throw new TransientException("conflict");
                }
                attempt.commit();
            } catch (TransientException e) {
                attempt.retryOrThrow(e);
            }
        }
        assertEquals(3, turns);
        assertEquals(List.of(MS, MS), recorder.bounds);
    }
}
