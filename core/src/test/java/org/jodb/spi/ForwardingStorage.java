package org.jodb.spi;

import java.util.Iterator;
import java.util.List;

/**
 * A storage for tests that forwards every abstract method of {@link Storage} to another; a test double
 * overrides only what it changes (a failing poll, a hook after finish, a counted load). The interface's
 * default methods ({@code loadAllAt}, {@code openView}, {@code oldestSnapshot}) are not forwarded: they run
 * on this storage, so that they pass through the overrides.
 */
public abstract class ForwardingStorage implements Storage {
    protected final Storage inner;

    protected ForwardingStorage(Storage inner) {
        this.inner = inner;
    }

    /** The storage this one forwards to. */
    public Storage inner() {
        return inner;
    }

    @Override
    public String name() {
        return inner.name();
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
    public Revision load(long oid) {
        return inner.load(oid);
    }

    @Override
    public Revision loadAt(long oid, long tid) {
        return inner.loadAt(oid, tid);
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
    public void pack(long packTid, ReferenceFinder references) {
        inner.pack(packTid, references);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public Iterator<TransactionRecords> transactions(long afterTid) {
        return inner.transactions(afterTid);
    }

    @Override
    public StorageTransaction tpcBeginCopy(TransactionInfo transaction) {
        return inner.tpcBeginCopy(transaction);
    }

    @Override
    public List<TransactionInfo> transactionLog(long beforeTid, int max) {
        return inner.transactionLog(beforeTid, max);
    }
}
