package org.jodb.storage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.BiConsumer;

import org.jodb.storage.internal.log.Log;

/**
 * The daemon thread of {@link StorageOptions.Durability#DEFERRED} mode: forces the log every
 * {@code flushIntervalMillis}, since finish returns before the force there. A failed force ends the thread and
 * is handed to the storage, which then closes itself (only a reopen, reading what the disk holds, is safe).
 */
final class DeferredFlusher {

    private final Thread thread;
    /** Set by {@link #stop} to end the loop. */
    private volatile boolean stopping;

    /**
     * @param closed tells the loop that the storage closed
     * @param failed receives a force's failure, on this thread, and whether close had asked the thread to stop
     *               by then: that close waits for this thread, so the callback must not wait for it
     */
    private DeferredFlusher(Log log, long intervalMillis, String name, BooleanSupplier closed,
                            BiConsumer<RuntimeException, Boolean> failed) {
        long interval = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        thread = new Thread(() -> {
            while (!closed.getAsBoolean() && !stopping) {
                LockSupport.parkNanos(interval);
                try {
                    log.forceAll();
                } catch (RuntimeException e) {
                    failed.accept(e, stopping);
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
    }

    /** Starts the thread; see the constructor for the parameters. */
    static DeferredFlusher start(Log log, long intervalMillis, String name, BooleanSupplier closed,
                                 BiConsumer<RuntimeException, Boolean> failed) {
        DeferredFlusher flusher = new DeferredFlusher(log, intervalMillis, name, closed, failed);
        flusher.thread.start();
        return flusher;
    }

    /** Ends the loop and waits for the thread (up to 10 s); a no-op on the flusher's own thread. */
    void stop() {
        if (Thread.currentThread() == thread) {
            return;
        }
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The thread itself (tests wake it and watch it end). */
    Thread thread() {
        return thread;
    }
}
