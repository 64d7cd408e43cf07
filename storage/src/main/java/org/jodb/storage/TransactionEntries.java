package org.jodb.storage;

import java.util.Arrays;

import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.TransactionView;

/**
 * One transaction's index entries, gathered from its record so that an index built from the log (recovery at
 * open, a rebuild after damage) gets them with one write per page they fall in ({@link OidIndex#putAll}) rather
 * than one per record. Reuses its arrays from transaction to transaction; one builder at a time.
 */
final class TransactionEntries {

    private long[] oids = new long[64];
    private long[] positions = new long[64];
    private int count;
    private long tid;

    /**
     * Gathers the data records of {@code txn}.
     *
     * @return at most how many pages they fall in, for {@link OidIndex#needsGrowth}
     */
    int gather(TransactionView txn) {
        if (oids.length < txn.count) {
            oids = Arrays.copyOf(oids, Math.max(txn.count, oids.length * 2));
            positions = Arrays.copyOf(positions, oids.length);
        }
        count = 0;
        tid = txn.tid;
        txn.forEachRevision((oid, revisionTid, prev, position, length) -> {
            oids[count] = oid;
            positions[count++] = position;
        });
        return OidIndex.pagesSpanned(oids, count);
    }

    /** Puts what {@link #gather} gathered into {@code index}. */
    void putInto(OidIndex index) {
        index.putAll(oids, positions, count, tid);
    }
}
