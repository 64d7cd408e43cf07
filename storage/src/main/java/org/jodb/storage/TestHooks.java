package org.jodb.storage;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.TransactionView;

/**
 * Everything tests reach inside one {@link MappedFileStorage}, in one place: code they run at chosen moments of
 * a pack, and views of the parts behind the façade. Production code never sets a hook; each is a no-op until
 * a test does. (The other seam, the log's file operations, is {@code MappedFileStorage.open(Path,
 * StorageOptions, LogIo)}.)
 */
final class TestHooks {

    private static final Runnable NOTHING = () -> { };

    /** Runs on the packing thread while pack copies without the commit lock. */
    volatile Runnable whilePackCopies = NOTHING;
    /** Runs while pack writes {@code pack.commit}, after its bytes are written, before they are forced. */
    volatile Runnable beforePackCommitForce = NOTHING;
    /** Runs on the packing thread right after pack's commit point, before the swap. */
    volatile Runnable atPackCommitPoint = NOTHING;

    private final Log log;
    private final IndexGenerations indexes;
    private final IndexHealing healing;
    private final TransactionChain chain;
    private final Lifecycle lifecycle;
    private final AtomicLong nextOid;

    TestHooks(Log log, IndexGenerations indexes, IndexHealing healing, TransactionChain chain, Lifecycle lifecycle,
              AtomicLong nextOid) {
        this.log = log;
        this.indexes = indexes;
        this.healing = healing;
        this.chain = chain;
        this.lifecycle = lifecycle;
        this.nextOid = nextOid;
    }

    Log log() {
        return log;
    }

    /** The current index generation. */
    OidIndex index() {
        return indexes.current();
    }

    /** How many times a disagreement with the log rebuilt the index since open. */
    int indexRebuilds() {
        return healing.rebuilds();
    }

    /** Every transaction record, oldest first. */
    void forEachTransaction(Consumer<TransactionView> visitor) {
        chain.forEach(visitor);
    }

    boolean isClosed() {
        return lifecycle.isClosed();
    }

    /** The DEFERRED flusher's thread, {@code null} in SYNC mode. */
    Thread flusher() {
        return lifecycle.flusherThread();
    }

    /** The oid the next {@code newOid} returns, without taking it. */
    long peekNextOid() {
        return nextOid.get();
    }
}
