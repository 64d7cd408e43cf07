package org.jodb.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.jodb.spi.Storage.NO_TID;
import static org.jodb.spi.Storage.ROOT_OID;

/**
 * One transaction's queued writes; the commit lock is held from a successful vote to finish/abort. A copied
 * transaction ({@link MemoryStorage#tpcBeginCopy}) checks no conflict and keeps its source's tid and time.
 */
final class MemoryTransaction implements StorageTransaction {
    private final MemoryStorage storage;
    private final TransactionMetadata metadata;
    private final ConflictResolver resolver;
    /** The transaction copied from another storage, or {@code null} for a new one. */
    private final TransactionInfo copied;
    private final Map<Long, Long> serials = new LinkedHashMap<>();   // oid -> serial the writer read
    private final Map<Long, byte[]> data = new LinkedHashMap<>();
    private final Map<Long, Long> readChecks = new HashMap<>();
    private boolean locked;
    private boolean ended;
    private long tid;

    MemoryTransaction(MemoryStorage storage, TransactionMetadata metadata, ConflictResolver resolver,
            TransactionInfo copied) {
        this.storage = storage;
        this.metadata = metadata == null ? new TransactionMetadata("", "") : metadata;
        this.resolver = resolver;
        this.copied = copied;
    }

    @Override
    public void store(long oid, long serial, byte[] bytes) {
        requireState(!locked && !ended, "store after vote or end of the transaction");
        serials.put(oid, serial);
        data.put(oid, bytes.clone());
    }

    @Override
    public void checkCurrent(long oid, long serial) {
        requireState(!locked && !ended, "checkCurrent after vote or end of the transaction");
        requireState(copied == null, "checkCurrent in a copied transaction, which checks nothing");
        readChecks.put(oid, serial);
    }

    @Override
    public long[] vote() {
        requireState(!locked && !ended, "vote twice or after the end of the transaction");
        if (storage.commitLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("another transaction of storage " + storage.name()
                    + " voted on this thread and has not finished or"
                + " aborted: finish or abort it before the next one votes (one storage, one transaction"
                + " between vote and finish per thread)");
        }
        storage.checkOpen();
        storage.commitLock.lock();
        locked = true;
        try {
            if (copied != null) {
                tid = copiedTid();
                checkReferences();
                return new long[0];
            }
            List<Long> resolved = new ArrayList<>();
            for (Map.Entry<Long, Long> e : serials.entrySet()) {
                long oid = e.getKey();
                long serial = e.getValue();
                long current = storage.currentSerial(oid);
                if (current == serial) {
                    continue;
                }
                byte[] merged = serial == NO_TID || current == NO_TID ? null
                        : resolver.resolve(oid, storage.exactRevision(oid, serial), storage.exactRevision(oid, current),
                                data.get(oid));
                if (merged == null) {
                    throw new StorageConflictException(oid, serial, current, false);
                }
                data.put(oid, merged);
                resolved.add(oid);
            }
            for (Map.Entry<Long, Long> e : readChecks.entrySet()) {
                if (serials.containsKey(e.getKey())) {
                    continue;   // the write check covers it
                }
                long current = storage.currentSerial(e.getKey());
                if (current != e.getValue()) {
                    throw new StorageConflictException(e.getKey(), e.getValue(), current, true);
                }
            }
            checkReferences();
            tid = storage.lastTid + 1;
            return resolved.stream().mapToLong(Long::longValue).toArray();
        } catch (RuntimeException failure) {
            release();
            throw failure;
        }
    }

    /** The copied transaction's tid, if it is after the last one (commit lock); raises the oid allocator. */
    private long copiedTid() {
        if (copied.tid() <= storage.lastTid) {
            throw new StorageException("cannot copy transaction " + copied.tid() + " into storage " + storage.name()
                    + ": its last transaction is " + storage.lastTid + ", and tids only grow. Copy into an empty"
                    + " storage,"
                    + " or only the transactions after " + storage.lastTid);
        }
        long highest = serials.keySet().stream().mapToLong(Long::longValue).max().orElse(ROOT_OID);
        storage.nextOid.accumulateAndGet(highest + 1, Math::max);
        return copied.tid();
    }

    /** Refuses a record that refers to an object pack storage.removed (Storage#pack, DanglingReferenceException). */
    private void checkReferences() {
        if (storage.removed.length == 0) {
            return;
        }
        for (Map.Entry<Long, byte[]> e : data.entrySet()) {
            storage.finder.references(e.getValue(), ref -> {
                if (Arrays.binarySearch(storage.removed, ref) >= 0) {
                    throw new DanglingReferenceException(e.getKey(), ref);
                }
            });
        }
    }

    @Override
    public long finish() {
        requireState(locked && !ended, "finish without a successful vote");
        try {
            long[] oids = new long[data.size()];
            int i = 0;
            for (Map.Entry<Long, byte[]> e : data.entrySet()) {
                long oid = e.getKey();
                oids[i++] = oid;
                Revision next = new Revision(oid, tid, e.getValue());
                storage.revisions.compute(oid, (k, chain) -> append(chain, next));
            }
            long time = copied == null ? System.currentTimeMillis() : copied.timeMillis();
            storage.transactions.put(tid,
                    new MemoryStorage.TransactionRecord(tid, time, metadata.user(), metadata.note(), oids));
            storage.lastTid = tid;
            ended = true;
            return tid;
        } finally {
            release();
        }
    }

    @Override
    public void abort() {
        ended = true;
        release();
    }

    private void release() {
        if (locked) {
            locked = false;
            storage.commitLock.unlock();
        }
    }

    private Revision[] append(Revision[] chain, Revision next) {
        if (chain == null) {
            return new Revision[] {next};
        }
        Revision[] longer = new Revision[chain.length + 1];
        System.arraycopy(chain, 0, longer, 0, chain.length);
        longer[chain.length] = next;
        return longer;
    }

    private void requireState(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " (storage " + storage.name() + ")");
        }
    }
}
