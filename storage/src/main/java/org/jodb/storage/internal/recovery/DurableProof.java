package org.jodb.storage.internal.recovery;

/**
 * What recovery knows from outside the log about how far it is durable (FORMAT.md 8): bad bytes met before the
 * walk reached transaction {@code tid} are damage, never a torn tail.
 *
 * @param tid    the newest transaction known to be durable; {@code 0} when nothing is known, {@link Long#MAX_VALUE}
 *               when the whole log is
 * @param source where that knowledge comes from, for the refusal's message
 */
public record DurableProof(long tid, String source) {

    /** Nothing is known beyond the log itself. */
    public static final DurableProof NONE = new DurableProof(0, "nothing");

    /** {@code index.meta} recorded {@code tid} as the store's last transaction (FORMAT.md invariant (7)). */
    public static DurableProof indexMeta(long tid) {
        return new DurableProof(tid, "index.meta records as durable (it names only durable transactions)");
    }

    /**
     * A pack was finished at this open: its output, now the whole log, was forced before {@code pack.commit} was
     * written (FORMAT.md 7.3 step 5), and no writer appended to it, since its process died before the swap.
     */
    public static DurableProof packFinishedAtOpen() {
        return new DurableProof(Long.MAX_VALUE, "the pack finished at this open forced before its commit point"
                + " (the whole log is its output)");
    }

    /** The stronger of the two. */
    public DurableProof or(DurableProof other) {
        return other.tid > tid ? other : this;
    }
}
