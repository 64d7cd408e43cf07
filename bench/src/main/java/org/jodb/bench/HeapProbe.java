package org.jodb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap a store holds: used heap after full collections, taken before a store opens ({@link #settled()})
 * and while it is open ({@link #usedAfterGc()}).
 */
final class HeapProbe {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    /** Two readings closer than this count as settled. */
    private static final long SETTLED_BYTES = 256 * 1024;
    private static final int MAX_SETTLE_ATTEMPTS = 20;
    private static final long SETTLE_PAUSE_MILLIS = 50;

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
     * Bytes in use once what the previous store left behind is gone: a closed store's background threads
     * may still hold its caches for a moment after {@code close} returned (EclipseStore's did, by about 15 MiB),
     * and that memory, freed during the next store's measurement, would be subtracted from the next store's
     * figure. Collects and pauses until two readings agree, at most about a second.
     */
    static long settled() {
        long last = usedAfterGc();
        for (int attempt = 0; attempt < MAX_SETTLE_ATTEMPTS; attempt++) {
            try {
                Thread.sleep(SETTLE_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
            long now = usedAfterGc();
            if (Math.abs(now - last) < SETTLED_BYTES) {
                return now;
            }
            last = now;
        }
        return last;
    }
}
