package org.jodb.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionInfo;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.LogLayout;

/**
 * One transaction's two-phase commit against a {@link MappedFileStorage} (FORMAT.md 7 maps each step to
 * the bytes written), through the storage's {@link CommitGate}. Writes are buffered in memory until vote; vote
 * takes the commit lock and holds it until finish or abort. What need not be done under the lock is done
 * before it: the index lookups of the objects read ({@link EarlyLookups}, confirmed under the lock). A
 * transaction copied from another storage ({@link #copy}) takes the same steps but checks no conflict and
 * keeps its source's tid and time.
 */
final class FileTransaction implements StorageTransaction {

    /** Where a transaction is in its two-phase commit. */
    private enum State {
        /** Collecting writes: store, checkCurrent, vote or abort allowed. */
        ACTIVE,
        /** Voted: the record is encoded, its place reserved, the commit lock held; finish or abort allowed. */
        VOTED,
        /** Finish returned; nothing more allowed. */
        FINISHED,
        /** Aborted (also after a failed vote); abort may be repeated. */
        ABORTED
    }

    /**
     * From this many records on, finish starts the force on another thread before it publishes to the index
     * (FORMAT.md 7.1, steps 7 and 8 overlap); below, waking that thread would cost more than it saves.
     */
    static final int OVERLAP_FORCE_RECORDS = 128;

    /** One stored object: the tid its writer read ({@link Storage#NO_TID} for a new object) and its new state. */
    private record Write(long serial, byte[] data) {
    }

    private final CommitGate gate;
    /** Loads the committed and the old state for conflict resolution. */
    private final Storage storage;
    private final TransactionMetadata metadata;
    private final ConflictResolver resolver;
    /** The transaction copied from another storage ({@link Storage#tpcBeginCopy}), or {@code null}. */
    private final TransactionInfo copied;
    /** By oid; insertion order is record order. */
    private final Map<Long, Write> writes = new LinkedHashMap<>();
    private final Map<Long, Long> checks = new LinkedHashMap<>();
    private State state = State.ACTIVE;
    private byte[] record;
    private long position;
    private long tid;
    private long[] oids;
    private long[] positions;

    FileTransaction(CommitGate gate, Storage storage, TransactionMetadata metadata, ConflictResolver resolver) {
        this(gate, storage, metadata, resolver, null);
    }

    private FileTransaction(CommitGate gate, Storage storage, TransactionMetadata metadata, ConflictResolver resolver,
                            TransactionInfo copied) {
        this.gate = gate;
        this.storage = storage;
        this.metadata = metadata;
        this.resolver = resolver;
        this.copied = copied;
    }

    /** The commit of {@code copied}, a transaction of another storage ({@link Storage#tpcBeginCopy}). */
    static FileTransaction copy(CommitGate gate, Storage storage, TransactionInfo copied) {
        return new FileTransaction(gate, storage, new TransactionMetadata(copied.user(), copied.note()),
                ConflictResolver.NONE, copied);
    }

    @Override
    public void store(long oid, long serial, byte[] data) {
        requireState(State.ACTIVE, "store");
        Objects.requireNonNull(data, "data");
        writes.put(oid, new Write(serial, data.clone()));
    }

    @Override
    public void checkCurrent(long oid, long serial) {
        requireState(State.ACTIVE, "checkCurrent");
        if (copied != null) {
            throw new IllegalStateException("checkCurrent() in the copy of transaction " + copied.tid()
                    + ": a copied transaction checks nothing");
        }
        checks.put(oid, serial);
    }

    @Override
    public long[] vote() {
        requireState(State.ACTIVE, "vote");
        gate.checkOpen();
        if (gate.heldByCurrentThread()) {
            throw new IllegalStateException("another transaction of storage " + storage.name() + " voted on this"
                    + " thread and has not finished or aborted: finish or abort it before the next one votes (one"
                    + " storage, one transaction between vote and finish per thread)");
        }
        EarlyLookups early = EarlyLookups.of(gate, readOids()); // before the lock: others vote meanwhile
        gate.lock();
        boolean voted = false;
        StorageException failure;
        try {
            gate.checkOpen();
            early.confirm(gate);
            for (Map.Entry<Long, Long> check : checks.entrySet()) {
                if (writes.containsKey(check.getKey())) {
                    continue; // the write check covers it
                }
                OidIndex.Entry current = early.current(gate, check.getKey(), check.getValue());
                long currentTid = current == null ? Storage.NO_TID : current.tid();
                if (currentTid != check.getValue()) {
                    throw new StorageConflictException(check.getKey(), check.getValue(), currentTid, true);
                }
            }
            List<Long> resolved = new ArrayList<>(0);
            List<LogLayout.DataRecord> records = new ArrayList<>(writes.size());
            int freshPages = 0; // at most how many index pages the new oids add
            long lastFreshPage = -1;
            for (Map.Entry<Long, Write> write : writes.entrySet()) {
                long oid = write.getKey();
                long serial = write.getValue().serial();
                byte[] data = write.getValue().data();
                OidIndex.Entry current = early.current(gate, oid, serial);
                long currentTid = current == null ? Storage.NO_TID : current.tid();
                if (currentTid != serial && copied == null) {
                    data = resolve(oid, serial, currentTid, data);
                    resolved.add(oid);
                }
                if (current == null && OidIndex.pageOf(oid) != lastFreshPage) {
                    freshPages++;
                    lastFreshPage = OidIndex.pageOf(oid);
                }
                records.add(new LogLayout.DataRecord(oid, current == null ? LogPosition.NONE : current.position(),
                        data));
            }
            gate.checkReferences(records); // no reference to an object pack removed: RemovedOids
            gate.ensureIndexRoom(freshPages);
            tid = copied == null ? gate.nextTid() : gate.copiedTid(copied.tid(), oidsOf(records));
            byte[] user = LogLayout.truncatedUtf8(metadata.user());
            byte[] note = LogLayout.truncatedUtf8(metadata.note());
            position = gate.log().reserve(LogLayout.transactionSize(user, note, records));
            int offset = LogPosition.offset(position);
            record = LogLayout.encodeTransaction(
                    new LogLayout.TxnHeader(tid, copied == null ? System.currentTimeMillis() : copied.timeMillis(),
                            gate.lastTxn(),
                            gate.log().durableEnd(), gate.nextOid()),
                    metadata.user(), metadata.note(), records, offset);
            oids = new long[records.size()];
            positions = new long[records.size()];
            int at = offset + LogLayout.firstDataOffset(user.length, note.length);
            for (int i = 0; i < records.size(); i++) {
                oids[i] = records.get(i).oid();
                positions[i] = LogPosition.of(LogPosition.segment(position), at);
                at += LogLayout.DATA_HEADER_SIZE + records.get(i).data().length;
            }
            state = State.VOTED; // the record is written at finish: FORMAT.md 7.1, step 6
            voted = true;
            long[] merged = new long[resolved.size()];
            for (int i = 0; i < merged.length; i++) {
                merged[i] = resolved.get(i);
            }
            return merged;
        } catch (StorageException e) {
            // A failed segment creation or end marker changed nothing; a failed force leaves the log unusable.
            if (!gate.logFailed()) {
                throw e;
            }
            failure = e;
        } finally {
            if (!voted) {
                state = State.ABORTED;
                gate.unlock();
            }
        }
        throw gate.breakDown(failure); // after the unlock: closing takes the commit lock
    }

    private static long[] oidsOf(List<LogLayout.DataRecord> records) {
        return records.stream().mapToLong(LogLayout.DataRecord::oid).toArray();
    }

    /**
     * The oids whose current entries vote compares with what the transaction read: its read-current checks
     * and its writes of objects it read. (A new object has no entry, and the lock's own check skips it.)
     */
    private long[] readOids() {
        long[] oids = new long[writes.size() + checks.size()];
        int n = 0;
        for (Map.Entry<Long, Write> write : writes.entrySet()) {
            if (write.getValue().serial() != Storage.NO_TID) {
                oids[n++] = write.getKey();
            }
        }
        for (Long oid : checks.keySet()) {
            if (!writes.containsKey(oid)) {
                oids[n++] = oid;
            }
        }
        return Arrays.copyOf(oids, n);
    }

    private byte[] resolve(long oid, long serial, long currentTid, byte[] mine) {
        Revision committed = storage.load(oid);
        byte[] old = null;
        if (serial != Storage.NO_TID) {
            try {
                Revision read = storage.loadAt(oid, serial);
                old = read == null || read.tid() != serial ? null : read.data();
            } catch (StorageException packedAway) {
                old = null; // the resolver contract allows a missing old state
            }
        }
        byte[] merged = committed == null ? null : resolver.resolve(oid, old, committed.data(), mine);
        if (merged == null) {
            throw new StorageConflictException(oid, serial, currentTid, false);
        }
        return merged;
    }

    @Override
    public long finish() {
        requireState(State.VOTED, "finish");
        long end = 0;
        RuntimeException failure = null;
        try {
            gate.log().writeRecord(position, record); // ends with the commit point: FORMAT.md 7.1, step 6
            if (oids.length >= OVERLAP_FORCE_RECORDS && gate.durability() == StorageOptions.Durability.SYNC) {
                gate.log().forceInBackground(); // publishing many oids takes about as long as the force
            }
            gate.publish(position, tid, oids, positions);
            end = gate.log().committedEnd();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            state = State.FINISHED; // the lock is released exactly once, whatever happened
            gate.unlock();
        }
        if (failure != null) {
            // Finish must not fail short of a broken storage (Storage contract): the log or the index may now
            // disagree with what is in memory, so only a reopen, which rebuilds the index, is safe.
            throw gate.breakDown(failure);
        }
        gate.awaitDurable(end);
        return tid;
    }

    @Override
    public void abort() {
        if (state == State.VOTED) {
            state = State.ABORTED; // nothing of it was written: the record goes to the log only at finish
            gate.unlock();
        } else if (state == State.ACTIVE) {
            state = State.ABORTED;
        }
    }

    private void requireState(State expected, String call) {
        if (state != expected) {
            throw new IllegalStateException(call + "() called in state " + state + "; expected " + expected);
        }
    }
}
