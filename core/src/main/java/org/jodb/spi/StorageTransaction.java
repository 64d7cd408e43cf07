package org.jodb.spi;

/**
 * One transaction's two-phase commit against a {@link Storage}; see that interface for the call order.
 * Used by one thread. {@link #vote()} does all the work that can fail; {@link #finish()} fails only after the
 * storage has settled whether the transaction committed.
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
     * commit lock: another transaction of the same storage, from this process or another, votes only after
     * that, and never on the same thread (it could not wait for a lock its own thread holds, and both would
     * get the same tid). A storage shared by several processes checks conflicts against every process's
     * commits and has written the records where they survive the loss of this process or of its connection
     * (not yet visible) before vote returns.
     *
     * @throws StorageConflictException on the first conflict that cannot be resolved, or a {@link
     *         DanglingReferenceException} when a record refers to an object {@link Storage#pack} removed;
     *         the transaction must then be aborted
     * @throws IllegalStateException when another transaction of this storage voted on this thread and has not
     *         finished or aborted
     */
    long[] vote();

    /**
     * Makes the transaction visible and durable; returns its tid. Whatever happens, when finish returns or
     * throws the outcome is settled, never "maybe":
     * <ul>
     *   <li>it returns the tid: the transaction is committed, and every snapshot at or after that tid, in
     *       every process, sees all of it;</li>
     *   <li>it throws {@link CommitNotDoneException}: the transaction is not committed and never will be (no
     *       part of it is or becomes visible). A storage that cannot tell at first (its connection to the server
     *       broke during the commit) must find out before it throws, for example by looking for an id written
     *       with the transaction's records at vote, waiting for the server to come back if it must; it may not
     *       guess;</li>
     *   <li>it throws another {@link StorageException} only when the storage broke in a way only a reopen can
     *       judge (the file store's log failed to write or force): the storage has then closed itself, the
     *       message says so, and the next open decides, by recovery, whether the transaction is there.</li>
     * </ul>
     * The commit lock is released in every case.
     */
    long finish();

    /**
     * Votes and finishes in one call, for a transaction that nothing else can abort between the two: its caller
     * commits nothing else with it (the transaction's only data manager). A storage may then commit it together
     * with other such transactions (several commits in one flush); the default calls {@link #vote()} then
     * {@link #finish()}. The same rules hold as for those two, in one call:
     * <ul>
     *   <li>it returns: the transaction is committed, as when finish returns its tid, and the outcome carries
     *       that tid and the oids a resolver merged (vote's answer);</li>
     *   <li>it throws what vote throws ({@link StorageConflictException}, {@link DanglingReferenceException},
     *       {@link IllegalStateException}, a {@link StorageException}): nothing is committed;</li>
     *   <li>it throws what finish throws: {@link CommitNotDoneException} (not committed, and never will be: the
     *       storage settled it before throwing), or another {@link StorageException} only when the storage
     *       closed itself and only a reopen can say.</li>
     * </ul>
     * Either way the commit lock is not held when it returns or throws, and {@link #abort()} may follow (it then
     * changes nothing).
     */
    default OnePhaseOutcome voteAndFinish() {
        long[] resolved = vote();
        return new OnePhaseOutcome(finish(), resolved);
    }

    /**
     * Forgets the transaction. Never fails; may be called more than once, after a failed vote and after a finish
     * that threw (it then changes nothing).
     */
    void abort();
}
