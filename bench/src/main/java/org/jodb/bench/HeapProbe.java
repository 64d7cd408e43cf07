package org.jodb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap a store holds: used heap after full collections, taken before a store opens ({@link #settled})
 * and while it is open ({@link #usedAfterGc()}).
 */
final class HeapProbe {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    /** Two readings closer than this count as the same. */
    private static final long SAME_BYTES = 256 * 1024;
    private static final long PAUSE_MILLIS = 200;
    /** Give up waiting for a steady heap after this many windows, and take the last reading. */
    private static final int MAX_WINDOWS = 4;

    private HeapProbe() {
    }

    /**
     * Bytes of heap in use after two collections: twice, because objects with finalizers or cleaners are
     * freed only by the collection after the one that found them unreachable.
     */
    static long usedAfterGc() {
        System.gc();
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /**
     * Bytes in use once what the previous store left behind is gone: memory freed during the next store's
     * measurement would be subtracted from that store's figure. An adapter's {@code close} waits for its store's
     * threads (EclipseStore's outlived its {@code shutdown()} and held everything it had loaded); as a guard
     * against what else a store keeps for a moment, collect every 200 ms until the readings have not moved for
     * {@code steadyMillis}.
     */
    static long settled(long steadyMillis) {
        long deadline = System.nanoTime() + MAX_WINDOWS * Math.max(steadyMillis, PAUSE_MILLIS) * 1_000_000;
        long reading = usedAfterGc();
        long steadySince = System.nanoTime();
        while ((System.nanoTime() - steadySince) / 1_000_000 < steadyMillis && System.nanoTime() < deadline) {
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return reading;
            }
            long now = usedAfterGc();
            if (Math.abs(now - reading) >= SAME_BYTES) {
                steadySince = System.nanoTime();
            }
            reading = now;
        }
        return reading;
    }
}
