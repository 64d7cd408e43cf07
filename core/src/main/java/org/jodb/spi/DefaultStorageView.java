package org.jodb.spi;

import java.util.List;

/**
 * The {@link StorageView} of a storage that implements none of its own: a poll asks
 * {@link Storage#transactionsAfter(long)}, and the snapshot moves to the newest tid it lists.
 */
final class DefaultStorageView extends SnapshotView {
    private final Storage storage;

    DefaultStorageView(Storage storage, long snapshot, boolean fixed) {
        super(storage, snapshot, fixed);
        this.storage = storage;
    }

    @Override
    protected Changes changesAfter(long from) {
        List<CommittedTransaction> after = storage.transactionsAfter(from);
        long to = from;
        for (CommittedTransaction t : after) {
            to = Math.max(to, t.tid());
        }
        return new Changes(to, after, true);
    }
}
