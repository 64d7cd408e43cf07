package org.jodb.internal.object;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jodb.UndoException;
import org.jodb.internal.serialization.RecordContext;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.TransactionInfo;
import org.jodb.transaction.TransientException;

/**
 * Undoes one committed transaction T inside the session's current transaction (ZODB's transactional undo):
 * for each object T wrote, the state it had just before T becomes this transaction's change to it, as if the
 * application had set it back by hand. It goes into the session's savepoint data like any flushed change, so
 * savepoints, rollback, abort and commit treat it as they treat every other change.
 *
 * <pre>
 * For each record of T, with "before" its revision at T - 1, "after" its revision at T, "current" its revision
 * in this transaction's snapshot:
 *   before absent      T created the object: left as it is. What referred to it is set back, so it becomes
 *                      unreachable and a pack removes it (ZODB makes it absent; here an object still referred
 *                      to by a later change stays readable instead of becoming a dangling reference).
 *   current is after   nobody changed it since, or a later transaction wrote the same bytes back (the undo
 *                      of a later transaction, say: undoing several newest first works): write before, with
 *                      current's serial.
 *   current is later   another transaction changed it since: merged like a concurrent commit, the change
 *                      "after -> before" taken into current by the class's merge (MergeableState: different
 *                      keys of a map or bucket); when that fails the whole undo fails (UndoException).
 * </pre>
 * Everything is read and checked before anything is written: an undo that fails leaves the transaction as it
 * was. A commit after this snapshot is the storage's to find at vote, as for any change (a conflict there is a
 * retryable ConflictException, and the retry sees the later change here).
 */
final class TransactionUndo {
    /** How many blocking objects the message names; the exception's map has them all. */
    private static final int NAMED = 10;

    private final ObjectLayer layer;
    private final Snapshot snapshot;
    private final ChangeTracker changes;
    private final PendingEntries entries;
    private final RecordContext records;

    TransactionUndo(ObjectLayer layer, Snapshot snapshot, ChangeTracker changes, PendingEntries entries,
            RecordContext records) {
        this.layer = layer;
        this.snapshot = snapshot;
        this.changes = changes;
        this.entries = entries;
        this.records = records;
    }

    /** One record the undo writes: the state to store and the serial it replaces. */
    private record Write(long oid, long serial, byte[] data) {
    }

    /**
     * Writes the undo of transaction {@code tid} into this transaction's changes; the session has joined it
     * and flushed.
     *
     * @throws UndoException when it cannot be undone (nothing written)
     * @throws TransientException when {@code tid} committed after this transaction's snapshot
     */
    void undo(long tid) {
        TransactionInfo undone = find(tid);
        long[] oids = undone.oids();
        for (long oid : oids) {
            if (changes.changedHere(oid)) {
                throw new UndoException(tid, "cannot undo transaction " + tid + " in this transaction: it already"
                        + " changed oid " + oid + " (" + className(oid, null) + "), which transaction " + tid
                        + " wrote (an undo writes the states of every object of the undone transaction). Commit"
                        + " or abort first, and undo in a transaction of its own; to undo several transactions"
                        + " that wrote one object, undo them newest first, one transaction each.");
            }
        }
        Revision[] before;
        Revision[] after;
        try {
            before = layer.storage.loadAllAt(oids, tid - 1);
            after = layer.storage.loadAllAt(oids, tid);
        } catch (CorruptStorageException damaged) {
            throw damaged;
        } catch (StorageException removed) {
            throw packed(tid, removed);
        }
        Revision[] current = snapshot.loadAll(oids);
        MapConflictResolver merge = new MapConflictResolver(layer, entries, true);
        List<Write> writes = new ArrayList<>();
        Map<Long, Long> blocked = new LinkedHashMap<>();
        StringBuilder why = new StringBuilder();
        for (int i = 0; i < oids.length; i++) {
            long oid = oids[i];
            if (before[i] == null) {
                continue; // created by the undone transaction: left as it is (see above)
            }
            if (after[i] == null || after[i].tid() != tid) {
                throw new CorruptStorageException("storage " + layer.storage.name() + " lists oid " + oid
                        + " among the records of transaction " + tid + " but holds no revision of it at that tid");
            }
            Revision now = current[i];
            if (now == null) {
                block(blocked, why, oid, Storage.NO_TID, className(oid, after[i].data()),
                        "no longer exists: a pack removed it since");
            } else if (now.tid() == tid || Arrays.equals(now.data(), after[i].data())) {
                // unchanged since, or changed back to the same bytes (by the undo of a later transaction, say)
                writes.add(new Write(oid, now.tid(), before[i].data()));
            } else {
                byte[] merged = merge.resolve(oid, after[i].data(), now.data(), before[i].data());
                if (merged != null) {
                    writes.add(new Write(oid, now.tid(), merged));
                } else {
                    block(blocked, why, oid, now.tid(), className(oid, now.data()), "changed by transaction "
                            + now.tid() + (Arrays.equals(now.data(), before[i].data())
                                    ? ", which set it back to its state before " + tid + " (undone already)" : ""));
                }
            }
        }
        if (!blocked.isEmpty()) {
            throw new UndoException(tid, blocked, "cannot undo transaction " + tid + " (" + describe(undone)
                    + "): later transactions changed " + blocked.size() + " of the objects it wrote: " + why
                    + ". Nothing was undone. Undo those later transactions first (newest first: Database.undoLog"
                    + " lists them), or change these objects back by hand.");
        }
        for (Write w : writes) {
            changes.writeUndone(w.oid(), w.serial(), w.data());
        }
    }

    /** The transaction {@code tid} as the storage lists it; an UndoException when it holds none. */
    private TransactionInfo find(long tid) {
        if (tid <= Storage.NO_TID || tid == Long.MAX_VALUE) {
            throw new UndoException(tid, "no transaction " + tid + " in storage " + layer.storage.name()
                    + ": tids are positive; take one from Database.undoLog");
        }
        List<TransactionInfo> found = layer.storage.transactionLog(tid + 1, 1);
        if (tid <= layer.storage.oldestSnapshot()) {
            throw packed(tid, null);
        }
        if (found.isEmpty() || found.get(0).tid() != tid) {
            throw new UndoException(tid, "no transaction " + tid + " in storage " + layer.storage.name() + " (a"
                    + " pack drops the transactions it keeps nothing of): take a tid from Database.undoLog");
        }
        if (tid > snapshot.tid()) {
            throw new TransientException("transaction " + tid + " committed after this transaction's snapshot (tid "
                    + snapshot.tid() + "), which cannot undo what it does not see: abort, and undo it in a new"
                    + " transaction (TransactionManager.run retries this)");
        }
        return found.get(0);
    }

    private UndoException packed(long tid, StorageException cause) {
        UndoException e = new UndoException(tid, "cannot undo transaction " + tid + ": a pack removed the states its"
                + " objects had before it (storage " + layer.storage.name() + " keeps snapshots from tid "
                + layer.storage.oldestSnapshot() + "). Only transactions after the last pack can be undone, the ones"
                + " Database.undoLog lists.");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static void block(Map<Long, Long> blocked, StringBuilder why, long oid, long laterTid, String type,
            String what) {
        blocked.put(oid, laterTid);
        if (blocked.size() <= NAMED) {
            why.append(blocked.size() == 1 ? "" : "; ").append("oid ").append(oid).append(" (").append(type)
                    .append(") ").append(what);
        } else if (blocked.size() == NAMED + 1) {
            why.append("; and more (UndoException.laterChanges names them all)");
        }
    }

    /**
     * The class of {@code oid} for a message, from the cache or else from {@code record}: the simple name, and
     * for a piece of a container the container's.
     */
    private String className(long oid, byte[] record) {
        try {
            Object instance = changes.cached(oid);
            if (instance == null && record != null) {
                instance = layer.codec.newInstance(layer.codec.typeOf(record, records)); // no state: never called
            }
            if (instance instanceof ContainerPart part) {
                return part.$jodbContainerName().replace("org.jodb.", "");
            }
            if (instance != null) {
                return layer.proxies.userClass(instance.getClass()).getSimpleName();
            }
        } catch (RuntimeException unreadable) {
            // a message only: the class stays unnamed
        }
        return "class unknown";
    }

    private static String describe(TransactionInfo t) {
        return Instant.ofEpochMilli(t.timeMillis()) + (t.user().isEmpty() ? "" : ", user \"" + t.user() + "\"")
                + (t.note().isEmpty() ? "" : ", note \"" + t.note() + "\"");
    }
}
