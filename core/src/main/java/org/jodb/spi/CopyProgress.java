package org.jodb.spi;

/**
 * How far one phase of a {@link StorageCopy} got, as a {@link CopyListener} hears it.
 *
 * @param phase        what the copy is doing
 * @param tid          the transaction just handled
 * @param lastTid      the last transaction this phase will handle (the source's last when the copy began): a
 *                     progress bar can show {@code tid} against it
 * @param transactions transactions handled so far in this phase
 * @param records      records handled so far in this phase
 * @param bytes        bytes of those records
 */
public record CopyProgress(Phase phase, long tid, long lastTid, long transactions, long records, long bytes) {

    /** The phases of a copy, in the order they run. */
    public enum Phase {
        /** Comparing what the target already holds with the source (an incremental copy). */
        CHECK,
        /** Copying the source's transactions that the target lacks. */
        COPY,
        /** Comparing the copied transactions with the source's. */
        VERIFY
    }
}
