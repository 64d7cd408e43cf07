package org.jodb.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jodb.spi.StorageException;
import org.jodb.storage.internal.index.IndexDamagedException;
import org.jodb.storage.internal.index.IndexFingerprint;
import org.jodb.storage.internal.index.IndexMeta;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.Log;

/**
 * Whether a {@link MappedFileStorage} is open, why it broke, and closing it.
 *
 * <p>Close waits for a running pack (the pack lock) and for a transaction between vote and finish (the commit
 * lock), stops the {@link DeferredFlusher}, forces the log, seals the index and, only when all of that
 * succeeded and nothing broke the storage before, writes the "clean" side file that lets the next open trust
 * the index. A storage that breaks (a failed force, or a failure after a commit point was written) closes
 * itself through {@link #breakDown}; it never writes a clean side file, so the next open rebuilds the index
 * from the log, which is the truth. Lock order: pack lock, then commit lock.
 */
final class Lifecycle {

    private final Path dir;
    private final StoreLock storeLock;
    private final Log log;
    private final IndexGenerations indexes;
    private final LastCommit last;
    private final AtomicLong nextOid;
    private final ReentrantLock commitLock;
    /** Lets one pack run at a time; close waits for a running pack. Taken before the commit lock. */
    private final ReentrantLock packLock = new ReentrantLock();
    /** {@code null} in SYNC mode. */
    private final DeferredFlusher flusher;
    private volatile boolean closed;
    /** Why the storage closed itself, or {@code null}; set once. */
    private volatile RuntimeException broken;

    Lifecycle(Path dir, StorageOptions options, StoreLock storeLock, Log log, IndexGenerations indexes,
              LastCommit last, AtomicLong nextOid, ReentrantLock commitLock) {
        this.dir = dir;
        this.storeLock = storeLock;
        this.log = log;
        this.indexes = indexes;
        this.last = last;
        this.nextOid = nextOid;
        this.commitLock = commitLock;
        // started last: the thread may call back into this object at once
        this.flusher = options.durability() == StorageOptions.Durability.DEFERRED
                ? DeferredFlusher.start(log, options.flushIntervalMillis(), "jodb-flusher " + dir, () -> closed,
                this::flusherFailed)
                : null;
    }

    /** @throws IllegalStateException saying why, and what to do, once the storage is closed or broken */
    void checkOpen() {
        if (closed) {
            RuntimeException cause = broken;
            if (cause != null) {
                // the user of another connection learns why, and what to do, not only that it is closed
                throw new IllegalStateException("the storage " + dir + " failed (" + cause.getMessage()
                        + ") and closed itself; close the database and open it again: recovery keeps every"
                        + " durable commit", cause);
            }
            throw new IllegalStateException("closed: " + dir + "; open the storage again to use it");
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Why the storage broke, or {@code null}. */
    RuntimeException broken() {
        return broken;
    }

    /**
     * The storage cannot go on (a force failed, or a commit point could not be written or published): marks
     * it broken and closes it, unless a pack runs (which closes it when it ends). Returns the exception for the
     * caller to throw; call it after releasing the commit lock, which closing takes.
     */
    StorageException breakDown(RuntimeException cause) {
        markBroken(cause);
        closeUnlessPackRuns();
        return new StorageException("the storage " + dir + " failed (" + cause.getMessage() + ") and was closed;"
                + " reopen it: recovery keeps every durable commit, and a transaction whose commit reported this"
                + " error is either wholly present or wholly absent.", cause);
    }

    private void markBroken(RuntimeException cause) {
        if (broken == null) {
            broken = cause;
        }
    }

    private void flusherFailed(RuntimeException e, boolean stopping) {
        markBroken(e);
        if (!closed && !stopping) {
            closeUnlessPackRuns();
        } // else close is under way and waits for the flusher: it must not wait for close
    }

    /**
     * Runs {@code pack} holding the pack lock (one pack at a time; close waits for it). A storage that broke
     * while it ran is closed when it ends: {@link #breakDown} left that to the pack.
     */
    void packExclusively(Runnable pack) {
        packLock.lock();
        try {
            checkOpen();
            pack.run();
        } finally {
            try {
                if (broken != null) {
                    closeAfterPack();
                }
            } catch (RuntimeException ignored) {
                // the pack's own outcome (or the failure that broke the storage) is what the caller sees
            } finally {
                packLock.unlock();
            }
        }
    }

    /** Closes the storage; a running pack finishes first (it may need the commit lock once more). */
    void close() {
        packLock.lock();
        try {
            closeAfterPack();
        } finally {
            packLock.unlock();
        }
    }

    /**
     * Closes a broken storage now, unless a pack or a close holds the pack lock: that one closes it when it
     * ends, seeing {@link #broken}. Waiting for the pack lock here could stall for as long as a pack runs,
     * and on the flusher it would stall close, which joins the flusher while holding the pack lock (a pack
     * that fails after its commit point closes the storage itself).
     */
    private void closeUnlessPackRuns() {
        if (!packLock.tryLock()) {
            return;
        }
        try {
            closeAfterPack();
        } catch (RuntimeException ignored) {
            // the failure that made us close is what the caller reports
        } finally {
            packLock.unlock();
        }
    }

    private void closeAfterPack() {
        // The flusher is stopped before the commit lock is taken: it may itself be closing a broken storage
        // and waiting for that lock. Nobody calls close while holding the commit lock.
        if (flusher != null) {
            flusher.stop();
        }
        // Always through the lock, also when closed is set already: a close running on another thread (the
        // flusher closing a broken storage) has then finished, and the store's lock is released, on return.
        commitLock.lock(); // lets a transaction between vote and finish complete first
        try {
            if (closed) {
                return;
            }
            closed = true;
            boolean clean = broken == null;
            try {
                log.forceAll(); // also when broken: what was acknowledged in DEFERRED mode deserves the try
            } catch (RuntimeException e) {
                clean = false;
            }
            OidIndex index = indexes.current();
            long capacity = index.capacity();
            long count = 0;
            long headerSpan = 0;
            long logEnd = log.committedEnd();
            try {
                count = index.size();
                index.seal(logEnd, last.tid());
                headerSpan = index.headerSpan();
            } catch (IndexDamagedException e) {
                clean = false; // the next open rebuilds it
            }
            index.close();
            indexes.closeRetired();
            if (clean) {
                // FORMAT.md invariant (6): "clean" is written only after the log and the index file are forced.
                try {
                    IndexFingerprint fingerprint = index.fingerprint(headerSpan);
                    new IndexMeta(true, logEnd, last.position(), last.tid(), nextOid.get(), capacity, count,
                            index.generation(), fingerprint).write(dir);
                    IndexGenerations.deleteFilesExcept(dir, index.generation());
                } catch (IOException | RuntimeException e) {
                    // the next open sees an "open" side file and rebuilds the index from the log
                }
            }
            log.close();
            storeLock.close();
        } finally {
            commitLock.unlock();
        }
    }

    /** The DEFERRED flusher's thread, {@code null} in SYNC mode (tests). */
    Thread flusherThread() {
        return flusher == null ? null : flusher.thread();
    }
}
