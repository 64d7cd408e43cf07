package org.jodb.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reference {@link Storage}: everything in the heap, nothing durable (like ZODB's MappingStorage).
 * The file storage is tested against the same contract.
 *
 * <pre>
 * Concurrency: loads read immutable revision arrays published through a ConcurrentHashMap and never
 *   block. One commit lock is held from vote to finish or abort, so votes see every earlier commit and
 *   tids are handed out in commit order. Nothing is locked while the caller's transaction is open.
 * Visibility: finish appends the new revisions, then publishes lastTid; a reader's snapshot is a tid,
 *   so a reader with an older snapshot never sees the new revisions through loadAt.
 * Invariants: (1) each oid's revisions are sorted by ascending tid; (2) lastTid is the tid of the last
 *   finished transaction; (3) oids are never handed out twice, and none at or below an oid a copied
 *   transaction stored.
 * </pre>
 */
public final class MemoryStorage implements Storage {

    /** oid → its revisions, oldest first; replaced as a whole on change (copy on write). */
    final ConcurrentHashMap<Long, Revision[]> revisions = new ConcurrentHashMap<>();
    /** tid → the committed transaction's record, for history and transactionsAfter. */
    final ConcurrentSkipListMap<Long, TransactionRecord> transactions = new ConcurrentSkipListMap<>();
    final AtomicLong nextOid = new AtomicLong(ROOT_OID + 1);
    final ReentrantLock commitLock = new ReentrantLock();
    volatile long lastTid = NO_TID;
    /** Snapshots older than this tid can no longer be served: pack removed what they need. */
    private volatile long packedBefore = NO_TID;
    private volatile boolean closed;
    /** Oids pack removed, sorted (commit lock); a vote refuses records that refer to one of them. */
    long[] removed = new long[0];
    /** The finder the last pack was given; {@code null} before the first pack. */
    ReferenceFinder finder;

    record TransactionRecord(long tid, long timeMillis, String user, String note, long[] oids) {
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public long newOid() {
        checkOpen();
        return nextOid.getAndIncrement();
    }

    @Override
    public long lastTid() {
        checkOpen();
        return lastTid;
    }

    @Override
    public Revision load(long oid) {
        checkOpen();
        Revision[] chain = revisions.get(oid);
        return chain == null ? null : copy(chain[chain.length - 1]);
    }

    @Override
    public Revision loadAt(long oid, long tid) {
        checkOpen();
        long oldest = packedBefore;
        if (tid < oldest) {
            throw new StorageException("snapshot tid " + tid + " is older than the oldest snapshot storage " + name()
                    + " keeps (tid " + oldest + "): what it reads was removed by pack. Start a new transaction to"
                    + " read a newer snapshot.");
        }
        Revision[] chain = revisions.get(oid);
        if (chain == null) {
            return null;
        }
        for (int i = chain.length - 1; i >= 0; i--) {
            if (chain[i].tid() <= tid) {
                return copy(chain[i]);
            }
        }
        return null;
    }

    @Override
    public long oldestSnapshot() {
        checkOpen();
        return packedBefore;
    }

    @Override
    public List<CommittedTransaction> transactionsAfter(long tid) {
        checkOpen();
        List<CommittedTransaction> result = new ArrayList<>();
        for (TransactionRecord t : transactions.tailMap(tid, false).values()) {
            result.add(new CommittedTransaction(t.tid(), t.oids().clone()));
        }
        return result;
    }

    @Override
    public List<TransactionInfo> transactionLog(long beforeTid, int max) {
        checkOpen();
        if (max < 0) {
            throw new IllegalArgumentException("max < 0: " + max + "; ask for 0 or more transactions");
        }
        // bounded by lastTid: finish records the transaction before it publishes lastTid
        long below = Math.min(beforeTid, lastTid == Long.MAX_VALUE ? lastTid : lastTid + 1);
        List<TransactionInfo> result = new ArrayList<>();
        for (TransactionRecord t : transactions.headMap(below, false).descendingMap().values()) {
            if (result.size() >= max) {
                break;
            }
            result.add(new TransactionInfo(t.tid(), t.timeMillis(), t.user(), t.note(), heldOids(t)));
        }
        return result;
    }

    /** The oids of {@code t} whose revision at its tid pack kept, in record order. */
    private long[] heldOids(TransactionRecord t) {
        return Arrays.stream(t.oids()).filter(oid -> holdsRevision(oid, t.tid())).toArray();
    }

    private boolean holdsRevision(long oid, long tid) {
        Revision[] chain = revisions.get(oid);
        if (chain != null) {
            for (Revision r : chain) {
                if (r.tid() == tid) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public StorageTransaction tpcBegin(TransactionMetadata metadata, ConflictResolver resolver) {
        checkOpen();
        return new MemoryTransaction(this, metadata, resolver == null ? ConflictResolver.NONE : resolver, null);
    }

    @Override
    public StorageTransaction tpcBeginCopy(TransactionInfo transaction) {
        checkOpen();
        Objects.requireNonNull(transaction, "transaction");
        return new MemoryTransaction(this, new TransactionMetadata(transaction.user(), transaction.note()),
                ConflictResolver.NONE, transaction);
    }

    /**
     * Walks the transactions committed up to the call, oldest first; each one's records are gathered only when
     * the walk reaches it. A record pack removed is left out, as is a transaction pack dropped.
     */
    @Override
    public Iterator<TransactionRecords> transactions(long afterTid) {
        checkOpen();
        long upTo = lastTid;
        Iterator<TransactionRecord> walk = afterTid >= upTo ? Collections.emptyIterator()
                : transactions.subMap(afterTid, false, upTo, true).values().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                checkOpen();
                return walk.hasNext();
            }

            @Override
            public TransactionRecords next() {
                checkOpen();
                if (!walk.hasNext()) {
                    throw new NoSuchElementException("no transaction after the last one listed");
                }
                return recordsOf(walk.next());
            }
        };
    }

    private TransactionRecords recordsOf(TransactionRecord t) {
        List<Revision> kept = new ArrayList<>(t.oids().length);
        for (long oid : t.oids()) {
            byte[] data = exactRevision(oid, t.tid());
            if (data != null) {
                kept.add(new Revision(oid, t.tid(), data));
            }
        }
        long[] oids = kept.stream().mapToLong(Revision::oid).toArray();
        return new TransactionRecords(new TransactionInfo(t.tid(), t.timeMillis(), t.user(), t.note(), oids), kept);
    }

    @Override
    public List<RevisionInfo> history(long oid, int max) {
        checkOpen();
        Revision[] chain = revisions.get(oid);
        List<RevisionInfo> result = new ArrayList<>();
        if (chain == null) {
            return result;
        }
        for (int i = chain.length - 1; i >= 0 && result.size() < max; i--) {
            TransactionRecord t = transactions.get(chain[i].tid());
            result.add(new RevisionInfo(chain[i].tid(), t == null ? 0 : t.timeMillis(),
                    t == null ? "" : t.user(), t == null ? "" : t.note(), chain[i].data().length));
        }
        return result;
    }

    @Override
    public void pack(long packTid, ReferenceFinder references) {
        checkOpen();
        // Holding the commit lock keeps the reachability walk consistent with what is committed.
        commitLock.lock();
        try {
            Set<Long> reachable = reachableFromRoot(packTid, references);
            List<Long> dropped = new ArrayList<>();
            for (Map.Entry<Long, Revision[]> e : revisions.entrySet()) {
                if (!reachable.contains(e.getKey())) {
                    revisions.remove(e.getKey());
                    dropped.add(e.getKey());
                    continue;
                }
                Revision[] chain = e.getValue();
                int keepFrom = currentIndexAt(chain, packTid);
                if (keepFrom > 0) {
                    Revision[] kept = new Revision[chain.length - keepFrom];
                    System.arraycopy(chain, keepFrom, kept, 0, kept.length);
                    revisions.put(e.getKey(), kept);
                }
            }
            dropEmptyTransactions(Math.min(packTid, lastTid));
            packedBefore = Math.max(packedBefore, Math.min(packTid, lastTid));
            if (!dropped.isEmpty()) {
                long[] more = Arrays.copyOf(removed, removed.length + dropped.size());
                for (int i = 0; i < dropped.size(); i++) {
                    more[removed.length + i] = dropped.get(i);
                }
                Arrays.sort(more);
                removed = more;
                finder = references;
            }
        } finally {
            commitLock.unlock();
        }
    }

    /**
     * Drops the transactions with a tid up to {@code upTo} of which pack kept no revision, but the newest
     * (Storage#pack): their metadata goes with their last revision, as in ZODB's pack.
     */
    private void dropEmptyTransactions(long upTo) {
        for (TransactionRecord t : transactions.headMap(upTo, true).values()) {
            if (t.tid() != lastTid && !keepsRevision(t)) {
                transactions.remove(t.tid());
            }
        }
    }

    private boolean keepsRevision(TransactionRecord t) {
        for (long oid : t.oids()) {
            Revision[] chain = revisions.get(oid);
            if (chain != null) {
                for (Revision r : chain) {
                    if (r.tid() == t.tid()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The oids reachable through any revision that a snapshot at or after packTid can read, from the root,
     * from pinned records and from every object written after packTid.
     */
    private Set<Long> reachableFromRoot(long packTid, ReferenceFinder references) {
        Set<Long> seen = new HashSet<>();
        List<Long> todo = new ArrayList<>();
        todo.add(ROOT_OID);
        for (Map.Entry<Long, Revision[]> e : revisions.entrySet()) {
            Revision[] chain = e.getValue();
            Revision newest = chain[chain.length - 1];
            if (newest.tid() > packTid || references.pinned(newest.data())) {
                todo.add(e.getKey()); // written after packTid (a root, as in ZODB's fspack), or pinned
            }
        }
        while (!todo.isEmpty()) {
            long oid = todo.remove(todo.size() - 1);
            if (!seen.add(oid)) {
                continue;
            }
            Revision[] chain = revisions.get(oid);
            if (chain == null) {
                continue;
            }
            for (int i = Math.max(0, currentIndexAt(chain, packTid)); i < chain.length; i++) {
                references.references(chain[i].data(), ref -> {
                    if (!seen.contains(ref)) {
                        todo.add(ref);
                    }
                });
            }
        }
        return seen;
    }

    /** Index of the revision current at tid, or 0 when every revision is newer. */
    private static int currentIndexAt(Revision[] chain, long tid) {
        for (int i = chain.length - 1; i >= 0; i--) {
            if (chain[i].tid() <= tid) {
                return i;
            }
        }
        return 0;
    }

    @Override
    public void close() {
        closed = true;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("storage " + name() + " is closed");
        }
    }

    private static Revision copy(Revision r) {
        return new Revision(r.oid(), r.tid(), r.data().clone());
    }

    long currentSerial(long oid) {
        Revision[] chain = revisions.get(oid);
        return chain == null ? NO_TID : chain[chain.length - 1].tid();
    }

    byte[] exactRevision(long oid, long tid) {
        Revision[] chain = revisions.get(oid);
        if (chain != null) {
            for (Revision r : chain) {
                if (r.tid() == tid) {
                    return r.data().clone();
                }
            }
        }
        return null;
    }
}
