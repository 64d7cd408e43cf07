package org.jodb;

import org.jodb.spi.ForwardingStorage;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Revision;
import org.jodb.spi.StorageException;

/**
 * A {@link MemoryStorage} that counts the snapshot reads a connection makes (one by one, and in batches), and
 * can be told to fail them, for tests of what a read costs in storage calls. Connections read through the
 * default view, so every read comes through {@link #loadAt} or {@link #loadAllAt}.
 */
final class CountingStorage extends ForwardingStorage {
    /** Calls of {@link #loadAt}: one record each. */
    volatile int singleLoads;
    /** Calls of {@link #loadAllAt}, and the oids they asked for. */
    volatile int batchCalls;
    volatile int batchOids;
    /** When set, snapshot reads throw a {@link StorageException}. */
    volatile boolean failReads;
    /** When set, batch reads throw a {@link StorageException}; single ones still work. */
    volatile boolean failBatches;
    /** What {@link #loadsAreRemote} answers: whether containers prefetch on their own. */
    volatile boolean remote;

    CountingStorage() {
        super(new MemoryStorage());
    }

    @Override
    public boolean loadsAreRemote() {
        return remote;
    }

    void resetCounts() {
        singleLoads = 0;
        batchCalls = 0;
        batchOids = 0;
    }

    @Override
    public Revision loadAt(long oid, long tid) {
        singleLoads++;
        failIfAsked();
        return inner.loadAt(oid, tid);
    }

    @Override
    public Revision[] loadAllAt(long[] oids, long tid) {
        batchCalls++;
        batchOids += oids.length;
        if (failBatches) {
            throw new StorageException("the test made the storage fail its batch reads");
        }
        failIfAsked();
        return inner.loadAllAt(oids, tid);
    }

    private void failIfAsked() {
        if (failReads) {
            throw new StorageException("the test made the storage fail its reads");
        }
    }

    @Override
    public String name() {
        return "counting";
    }
}
