package org.jodb;

import java.util.List;
import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Revision;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;

/**
 * A {@link MemoryStorage} that counts the snapshot reads a connection makes (one by one, and in batches), and
 * can be told to fail them, for tests of what a read costs in storage calls. Connections read through the
 * default view, so every read comes through {@link #loadAt} or {@link #loadAllAt}.
 */
final class CountingStorage implements Storage {
    private final MemoryStorage inner = new MemoryStorage();
    /** Calls of {@link #loadAt}: one record each. */
    volatile int singleLoads;
    /** Calls of {@link #loadAllAt}, and the oids they asked for. */
    volatile int batchCalls;
    volatile int batchOids;
    /** When set, snapshot reads throw a {@link StorageException}. */
    volatile boolean failReads;
    /** When set, batch reads throw a {@link StorageException}; single ones still work. */
    volatile boolean failBatches;

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

    @Override
    public long newOid() {
        return inner.newOid();
    }

    @Override
    public long lastTid() {
        return inner.lastTid();
    }

    @Override
    public java.util.Iterator<org.jodb.spi.TransactionRecords> transactions(long afterTid) {
        return inner.transactions(afterTid);
    }

    @Override
    public org.jodb.spi.StorageTransaction tpcBeginCopy(org.jodb.spi.TransactionInfo transaction) {
        return inner.tpcBeginCopy(transaction);
    }

    @Override
    public Revision load(long oid) {
        return inner.load(oid);
    }

    @Override
    public List<CommittedTransaction> transactionsAfter(long tid) {
        return inner.transactionsAfter(tid);
    }

    @Override
    public StorageTransaction tpcBegin(TransactionMetadata metadata, ConflictResolver resolver) {
        return inner.tpcBegin(metadata, resolver);
    }

    @Override
    public List<RevisionInfo> history(long oid, int max) {
        return inner.history(oid, max);
    }

    @Override
    public List<org.jodb.spi.TransactionInfo> transactionLog(long beforeTid, int max) {
        return inner.transactionLog(beforeTid, max);
    }

    @Override
    public void pack(long packTid, ReferenceFinder references) {
        inner.pack(packTid, references);
    }

    @Override
    public void close() {
        inner.close();
    }
}
