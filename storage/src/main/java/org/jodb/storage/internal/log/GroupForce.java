package org.jodb.storage.internal.log;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Group commit: forces the {@link Log} up to its committed end for every committer that waits at the same time,
 * and knows how far the log is durable.
 *
 * <p>Whoever forces covers every transaction finished before the force began. One caller at a time leads a
 * force, up to the newest committed end; callers that arrive meanwhile wait for that force together and then
 * find their commit covered, or one of them leads the next force for all that committed during it. Under load
 * the leader hands the next force to the forcer thread before it returns, so that forces follow each other
 * back to back. A failed force fails the log ({@link Log#failure()}); every waiter then sees that failure.
 *
 * <p>The log's own forces (closing a segment at a rollover) and pack's adoption of new segments run
 * {@link #exclusively} of group forces, since both move {@link #durableEnd} too.
 */
final class GroupForce {

    private final Log log;
    /** Every byte before this position has been forced to the device. */
    private volatile long durableEnd;
    /** Held while forcing: orders a group force with the log's own forces. */
    private final Object forceLock = new Object();
    /** Guards {@link #flushing}; held only for a few instructions. */
    private final Object flushState = new Object();
    /** Runs {@link #forceInBackground} forces and handed-off ones; made when first needed. */
    private volatile ExecutorService forcer;
    /** The force in progress, completed when it ends; {@code null} when none runs. */
    private CompletableFuture<Void> flushing;

    /** @param durableEnd how far {@code log} is durable now */
    GroupForce(Log log, long durableEnd) {
        this.log = log;
        this.durableEnd = durableEnd;
    }

    long durableEnd() {
        return durableEnd;
    }

    /**
     * Runs {@code action} (a force of the log's own, or a change of its segments) while no group force runs;
     * afterwards everything before {@code durableAfter} is durable. An exception of {@code action} leaves
     * {@link #durableEnd} unchanged.
     */
    void exclusively(Runnable action, long durableAfter) {
        synchronized (forceLock) {
            action.run();
            durableEnd = durableAfter;
        }
    }

    /** Runs {@code action}, a force of the log's own that moves no durable end, while no group force runs. */
    void exclusively(Runnable action) {
        synchronized (forceLock) {
            action.run();
        }
    }

    /**
     * Returns once every byte before {@code end} is forced (see the class comment).
     *
     * <p>Why not simply a monitor around the force: waiters queued on a monitor are handed it one at a time,
     * and each hand-off waits for the next thread to be scheduled; on a busy machine that serial chain took
     * longer than the force itself, so few commits shared each force. Completing a future wakes all waiters
     * at once.
     */
    void awaitDurable(long end) {
        awaitDurable(end, true);
    }

    /**
     * @param handOff whether a force that ends with commits waiting for the next one passes that next force to
     *                the forcer thread (committers in SYNC mode), rather than leaving them to elect a leader
     */
    private void awaitDurable(long end, boolean handOff) {
        while (durableEnd < end) {
            CompletableFuture<Void> running;
            boolean lead = false;
            synchronized (flushState) {
                if (durableEnd >= end) {
                    return;
                }
                log.checkUsable();
                running = flushing;
                if (running == null) {
                    flushing = running = new CompletableFuture<>();
                    lead = true;
                }
            }
            if (lead) {
                lead(running, handOff); // throws if the force failed
            } else {
                awaitQuietly(running);
            }
        }
    }

    /**
     * Forces up to the committed end for everyone waiting on {@code running}, then completes it. When commits
     * finished during the force (so their committers wait for the next one) and {@code handOff} is set, the
     * next force is started on the forcer thread before {@code running} completes, and becomes
     * {@link #flushing}: under load the forces then follow each other back to back. Without it the waiters
     * woke, one of them found no force running and led the next, and the disk stood idle meanwhile (39 µs
     * between forces of about 110 µs with 8 committers on 2 cores), while this thread, whose own commit is
     * durable, returns to its caller at once either way.
     */
    private void lead(CompletableFuture<Void> running, boolean handOff) {
        boolean forced = false;
        try {
            synchronized (forceLock) {
                log.checkUsable();
                long target = log.committedEnd();
                if (durableEnd < target) {
                    try {
                        log.forceRange(durableEnd, target);
                    } catch (RuntimeException | InternalError e) {
                        throw log.fail("force the log up to " + LogPosition.describe(target), e);
                    }
                    durableEnd = target;
                }
                forced = true;
            }
        } finally {
            CompletableFuture<Void> next = null;
            synchronized (flushState) {
                flushing = null;
                if (forced && handOff && log.committedEnd() > durableEnd && log.failure() == null) {
                    flushing = next = new CompletableFuture<>();
                }
            }
            if (next != null) {
                startOnForcer(next);
            }
            running.complete(null);
        }
    }

    /** Leads the force of {@code next} on the forcer thread; if the log is closing, leaves it to the waiters. */
    private void startOnForcer(CompletableFuture<Void> next) {
        try {
            forcer().execute(() -> {
                try {
                    lead(next, true);
                } catch (RuntimeException e) {
                    // recorded in the log's failure: each waiter reads it when it looks again
                }
            });
        } catch (RejectedExecutionException e) {
            synchronized (flushState) {
                flushing = null;
            }
            next.complete(null); // its waiters look again and one of them forces
        }
    }

    /** Waits for a force led by another thread; its outcome is read from {@link #durableEnd} and the failure. */
    private static void awaitQuietly(CompletableFuture<Void> force) {
        boolean interrupted = false;
        while (true) {
            try {
                force.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // a commit's durability is not abandoned half way; the flag is kept
            } catch (ExecutionException e) {
                break; // never completed exceptionally
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts forcing everything committed so far on the forcer thread and returns at once, so that a
     * committer's remaining work (publishing a large transaction to the index) overlaps the force; its own
     * {@link #awaitDurable} then joins that force. A failure is recorded as by {@link #awaitDurable} and
     * reported to whoever waits next.
     */
    void forceInBackground() {
        long target = log.committedEnd();
        try {
            forcer().execute(() -> {
                try {
                    awaitDurable(target);
                } catch (RuntimeException e) {
                    // recorded in the log's failure; the committer's own awaitDurable reports it
                }
            });
        } catch (RejectedExecutionException e) {
            // closing: the committer forces itself
        }
    }

    /** Forces everything committed so far: one force, never a chain of them (DEFERRED's flusher and close). */
    void forceAll() {
        awaitDurable(log.committedEnd(), false);
    }

    private ExecutorService forcer() {
        ExecutorService f = forcer;
        if (f == null) {
            synchronized (flushState) {
                f = forcer;
                if (f == null) {
                    forcer = f = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "jodb-forcer " + log.directory());
                        t.setDaemon(true);
                        return t;
                    });
                }
            }
        }
        return f;
    }

    /** Lets the forcer thread, if one was made, end after the forces queued; later ones are refused. */
    void close() {
        ExecutorService f = forcer;
        if (f != null) {
            f.shutdown();
        }
    }
}
