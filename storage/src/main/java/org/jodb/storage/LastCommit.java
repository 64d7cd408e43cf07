package org.jodb.storage;

/**
 * The newest finished transaction as readers see it: its tid and the position of its record
 * ({@link org.jodb.storage.internal.log.LogPosition#NONE} for an empty store).
 *
 * <p>Written only under the commit lock: by {@link CommitGate#publish} after the index holds the transaction's
 * entries, so that a reader that sees a tid can load its revisions, and by pack's swap. Read without a lock.
 * No revision in the index has a tid greater than {@link #tid}.
 */
final class LastCommit {

    private volatile long tid;
    private volatile long position;

    LastCommit(long tid, long position) {
        this.tid = tid;
        this.position = position;
    }

    long tid() {
        return tid;
    }

    /** Where the newest transaction's record starts: the head of the chain of transactions. */
    long position() {
        return position;
    }

    /** A commit finished (commit lock): its position first, then its tid, which readers go by. */
    void advance(long position, long tid) {
        this.position = position;
        this.tid = tid;
    }

    /** Pack moved the newest transaction into its output (commit lock); its tid is unchanged. */
    void movedTo(long position) {
        this.position = position;
    }
}
