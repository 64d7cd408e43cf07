package org.jodb.spi;

import java.util.List;
import java.util.Objects;

/**
 * What {@link StorageView#poll()} found committed between a view's previous snapshot and its new one.
 *
 * @param snapshotTid  the view's snapshot after the poll (the previous one when nothing was committed)
 * @param transactions the transactions committed after the previous snapshot, up to and including
 *                     {@code snapshotTid}, oldest first, each with the oids it wrote; empty when nothing
 *                     changed or when {@code known} is false
 * @param known        false when the storage cannot tell what changed (its record of commits no longer
 *                     reaches back to the previous snapshot): the reader must then treat every object it
 *                     holds as changed
 */
public record Changes(long snapshotTid, List<CommittedTransaction> transactions, boolean known) {

    public Changes {
        transactions = List.copyOf(Objects.requireNonNull(transactions, "transactions"));
        if (!known && !transactions.isEmpty()) {
            throw new IllegalArgumentException("changes that are not known list no transactions");
        }
    }

    /** Nothing committed: the snapshot stays at {@code snapshotTid}. */
    public static Changes none(long snapshotTid) {
        return new Changes(snapshotTid, List.of(), true);
    }

    /** The storage cannot say what changed up to {@code snapshotTid}: everything may have. */
    public static Changes unknown(long snapshotTid) {
        return new Changes(snapshotTid, List.of(), false);
    }
}
