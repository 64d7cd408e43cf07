package org.jodb.spi;

/**
 * One transaction's two-phase commit against a {@link Storage}; see that interface for the call order.
 * Used by one thread.
 */
public interface StorageTransaction {

    /**
     * Queues a new revision of {@code oid}.
     *
     * @param serial the tid of the revision the writer read, {@link Storage#NO_TID} for a new object
     */
    void store(long oid, long serial, byte[] data);

    /**
     * Asks vote to fail with a {@link StorageConflictException} (read conflict) unless the current
     * revision of {@code oid} still has tid {@code serial}. Storing the same oid in this transaction
     * makes the write check cover it instead.
     */
    void checkCurrent(long oid, long serial);

    /**
     * Checks every queued write and read check against the committed state, resolving write conflicts
     * through the resolver given at begin, then writes the data (not yet visible).
     *
     * @return the oids whose stored bytes were replaced by a resolver's merge (the caller must reload them)
     * <p>From a successful vote to {@link #finish} or {@link #abort} the transaction holds the storage's
     * commit lock: another transaction of the same storage votes only after that, and never on the same
     * thread (it could not wait for a lock its own thread holds, and both would get the same tid).
     *
     * @throws StorageConflictException on the first conflict that cannot be resolved, or a {@link
     *         DanglingReferenceException} when a record refers to an object {@link Storage#pack} removed;
     *         the transaction must then be aborted
     * @throws IllegalStateException when another transaction of this storage voted on this thread and has not
     *         finished or aborted
     */
    long[] vote();

    /**
     * Makes the transaction visible and durable; returns its tid. Must never fail after vote succeeded.
     */
    long finish();

    /** Forgets the transaction. Never fails; may be called more than once and after a failed vote. */
    void abort();
}
