package org.jodb.internal.object;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.RecordContext;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.transaction.Transaction;
import org.jodb.transaction.TransactionManager;

/**
 * What one session changed in the transaction it joined, and its savepoints.
 *
 * <pre>
 * Changes: a method call touches an object (ObjectStatus.TOUCHED). At a savepoint or commit, {@link #flush}
 *   serializes every touched object and keeps the record in the savepoint data ({@link SavepointStates})
 *   only when its bytes differ from the ones last saved; objects reached from written state without an oid
 *   get one there ({@link #adopt}: persistence by reachability).
 * Savepoints and rollback: a {@link SessionSavepoint} remembers where the savepoint data and the set of new
 *   oids stood; rolling back makes the objects changed since ghosts again (they reload the saved state, in
 *   place: references to them stay valid) and disowns the objects that got their oid since.
 * Invariants: (1) every object in {@link #touched} has status TOUCHED or was disowned; (2) an oid is in
 *   {@link #created} iff it was assigned in the current transaction; (3) outside a transaction the savepoint
 *   data, {@link #touched} and {@link #created} are empty.
 * </pre>
 * Used by the session's thread only.
 */
final class ChangeTracker {
    private final ObjectCache cache;
    private final ObjectRecordCodec codec;
    private final Ghosts ghosts;
    private final Storage storage;
    /** The session, as the serializer's context. */
    private final RecordContext records;
    private final SavepointStates writes;
    private final OutsideChanges outside;
    /** Objects a method ran on since the last flush, plus new objects waiting to be written. */
    private final ArrayDeque<ObjectState> touched = new ArrayDeque<>();
    /**
     * Objects whose method was still running when their transaction committed (a commit inside one of their
     * methods): touched again when the session joins its next transaction.
     */
    private final ArrayDeque<ObjectState> carried = new ArrayDeque<>();
    /** Oids assigned in the current transaction. */
    private LongLongTable created = new LongLongTable(); // as a set: the values are unused
    /** oid → serial read, for objects whose commit must fail if another transaction changed them. */
    private final Map<Long, Long> readChecks = new HashMap<>();
    /** The transaction the session has joined, or null. */
    private Transaction joined;
    /**
     * The last transaction joined, kept (weakly) after it ends: a failed attempt of run is counted by who took
     * part. Weakly, so that an ended transaction does not keep the other data managers it joined reachable.
     */
    private WeakReference<Transaction> lastJoined = new WeakReference<>(null);

    /** Counts the records a commit hands to the storage. */
    private final TransferCounter transfers;
    /** Turns what an abort or a rollback undoes into plain objects. */
    private final Disowning disowning;

    ChangeTracker(ObjectLayer layer, ObjectCache cache, Ghosts ghosts, RecordContext records,
            TransferCounter transfers) {
        this.transfers = transfers;
        this.cache = cache;
        this.codec = layer.codec;
        this.ghosts = ghosts;
        this.storage = layer.storage;
        this.records = records;
        this.writes = new SavepointStates(layer.spillThreshold);
        this.outside = new OutsideChanges(this, ghosts);
        this.disowning = new Disowning(cache, codec, records, writes);
    }

    // ---- the transaction the changes belong to ----------------------------------------------------------

    Transaction joined() {
        return joined;
    }

    /**
     * Whether {@code txn} is the transaction this session works for. A transaction keeps calling the data
     * managers it joined until it ends, also one that left it (closed read-only and pooled, perhaps serving
     * another manager now): those calls must not touch the session's current work.
     */
    boolean isJoinedTo(Transaction txn) {
        return joined != null && joined == txn;
    }

    /** Whether {@code txn} is the last transaction this session joined (it may have ended since). */
    boolean tookPartIn(Transaction txn) {
        return lastJoined.get() == txn;
    }

    /** The session joined {@code txn}: objects carried over from the last one are touched again. */
    void joinedTo(Transaction txn) {
        joined = txn;
        lastJoined = new WeakReference<>(txn);
        ObjectState s;
        while ((s = carried.poll()) != null) {
            if (s.status == ObjectStatus.CLEAN && s.self.$jodbState() == s) {
                s.status = ObjectStatus.TOUCHED; // its method ran on after the commit and may have changed it
                touched.add(s);
            }
        }
    }

    /** The transaction ended (committed, aborted, or left): what its objects still carry is settled. */
    void endTransaction() {
        created.clear(); // never shared: savepoints and rollback copy it
        readChecks.clear();
        for (ObjectState s : touched) {
            if (s.status == ObjectStatus.TOUCHED && s.self.$jodbState() == s) {
                // kept touched by flush for a running method (a commit inside it): written already; what the
                // method changes from now on belongs to the next transaction this session joins
                s.status = ObjectStatus.CLEAN;
                carried.add(s);
            }
        }
        touched.clear();
        joined = null;
    }

    /** The session leaves its transaction, which changed nothing (closed read-only). */
    void leave() {
        for (ObjectState s : touched) {
            s.status = ObjectStatus.CLEAN;
        }
        touched.clear();
        endTransaction();
    }

    /** The session is closed: objects carried over are not touched again. */
    void dropCarried() {
        carried.clear();
    }

    // ---- recording changes ------------------------------------------------------------------------------

    /**
     * A method is about to run on {@code state}, loaded already: touched when the session is in a transaction
     * ({@code inTransaction}); else remembered, to be settled at the next boundary.
     */
    void called(ObjectState state, boolean inTransaction, TransactionManager manager) {
        if (inTransaction) {
            state.status = ObjectStatus.TOUCHED;
            touched.add(state);
        } else if (manager.isExplicit() && manager.current().isEmpty()) {
            state.status = ObjectStatus.TOUCHED; // until begin(), which settles it
            outside.add(state);
        } else if (!outside.isLast(state)) {
            // an after-commit hook, or a failed transaction not yet aborted: the object stays CLEAN, so that its
            // first call in the next transaction (which may begin implicitly, without a boundary) comes here and
            // joins; joining settles it first
            outside.add(state);
        }
    }

    /** Makes the commit fail if the object of {@code s}, as read, is no longer current then. */
    void readCurrent(ObjectState s) {
        readChecks.putIfAbsent(s.oid, s.serial);
    }

    /**
     * The oid of {@code p} (of this session's {@code jar}, or of none yet), referenced from state being
     * written; one without an oid gets one now and is written in this transaction (persistence by
     * reachability).
     */
    long adopt(PersistentObject p, ObjectJar jar) {
        ObjectState s = p.$jodbState();
        if (s == null) {
            s = new ObjectState(p, jar, ObjectStatus.UNSAVED);
            p.$jodbState(s);
        }
        if (s.oid == ObjectState.NO_OID) {
            s.oid = storage.newOid();
            s.created = true;
            s.status = ObjectStatus.TOUCHED;
            created.put(s.oid, 0);
            cache.put(s);
            cache.used(s);
            touched.add(s);
        }
        return s.oid;
    }

    /** Whether {@code oid} was assigned in this transaction. */
    boolean isCreated(long oid) {
        return !created.isEmpty() && created.containsKey(oid);
    }

    /** Whether a savepoint wrote a record of {@code oid}, which loads then read instead of the storage's. */
    boolean hasSavedRecord(long oid) {
        return !writes.isEmpty() && writes.contains(oid); // most loads happen with nothing written
    }

    byte[] savedRecord(long oid) {
        return writes.get(oid);
    }

    /** The serial the writer of {@code oid}'s saved record had read; only with {@link #hasSavedRecord}. */
    long savedSerial(long oid) {
        return writes.serial(oid);
    }

    // ---- undo of another transaction (TransactionUndo) ---------------------------------------------------

    /**
     * Whether this transaction changed {@code oid}, once flushed: a record of it in the savepoint data, an oid
     * given in this transaction, or an object still touched by a method that is running.
     */
    boolean changedHere(long oid) {
        ObjectState s = stateOf(cache.get(oid));
        return hasSavedRecord(oid) || isCreated(oid) || (s != null && s.status == ObjectStatus.TOUCHED);
    }

    /** The loaded or ghost instance of {@code oid} in this session, or null. */
    PersistentObject cached(long oid) {
        return cache.get(oid);
    }

    /**
     * An undo sets {@code oid} to {@code record}, replacing serial {@code serial}: a change of this transaction
     * like a flushed one (savepoints, rollback and commit treat it alike). Its instance, if loaded, becomes a
     * ghost that loads {@code record} at its next call. Only for an object {@link #changedHere} denies.
     */
    void writeUndone(long oid, long serial, byte[] record) {
        writes.put(oid, serial, record);
        ObjectState s = stateOf(cache.get(oid));
        if (s != null && s.status != ObjectStatus.GHOST) {
            ghosts.invalidate(s);
        }
    }

    // ---- savepoints and commit --------------------------------------------------------------------------

    /** Writes every touched object whose bytes changed into the savepoint data. */
    void flush() {
        ObjectState s;
        List<ObjectState> running = null;
        // peek, and remove only once written: an object whose serialization, or the write of whose record (to
        // the savepoint spill file), throws must stay queued, so that the abort that follows turns it back into a
        // ghost instead of leaving it changed and no longer tracked
        while ((s = touched.peek()) != null) {
            if (s.status != ObjectStatus.TOUCHED || s.self.$jodbState() != s) {
                touched.poll();
                continue; // ghosted or disowned meanwhile
            }
            byte[] bytes = codec.write(s.self, records);
            if (s.forced || s.saved == null || !Arrays.equals(bytes, s.saved)) {
                writes.put(s.oid, s.created ? Storage.NO_TID : s.serial, bytes);
                s.saved = bytes;
                cache.resized(s, bytes.length);
            }
            touched.poll();
            s.forced = false;
            if (s.calls > 0) {
                // a method of it is running (this is a savepoint taken inside it): what the method changes after
                // this point reaches no method entry, so the object stays touched
                if (running == null) {
                    running = new ArrayList<>();
                }
                running.add(s);
            } else {
                s.status = ObjectStatus.CLEAN;
            }
        }
        if (running != null) {
            touched.addAll(running);
        }
    }

    /** A savepoint of the joined transaction: flushes, then remembers where the changes stand. */
    SessionSavepoint savepoint(SessionLife life) {
        flush();
        SessionSavepoint savepoint = new SessionSavepoint(this, life, joined, writes.mark(), created.copy());
        cache.gc(ghosts::unload);
        return savepoint;
    }

    /** Whether the transaction changed anything: flushed records, new objects, or touched objects that differ. */
    boolean hasChanges() {
        if (!writes.isEmpty() || !created.isEmpty()) {
            return true;
        }
        for (ObjectState s : touched) {
            if (s.status == ObjectStatus.TOUCHED && s.self.$jodbState() == s
                    && (s.forced || s.saved == null || !Arrays.equals(writtenOrNull(s), s.saved))) {
                return true;
            }
        }
        return false;
    }

    /** The state of {@code s} as a record, or null when it holds a value jodb cannot store (a change too). */
    byte[] writtenOrNull(ObjectState s) {
        try {
            return codec.write(s.self, records);
        } catch (RuntimeException unwritable) {
            return null;
        }
    }

    /** Whether the flushed transaction has nothing for the storage: no record, no read check. */
    boolean nothingToCommit() {
        return writes.isEmpty() && readChecks.isEmpty();
    }

    /** Queues the flushed records, and the read checks of objects not written, in {@code txn}. */
    void storeInto(StorageTransaction txn) {
        transfers.stored(writes.size());
        writes.forEach(txn::store);
        readChecks.forEach((oid, serial) -> {
            if (!writes.contains(oid)) {
                txn.checkCurrent(oid, serial);
            }
        });
    }

    /**
     * The storage committed the records as transaction {@code tid}: the written objects carry its serial, and
     * those whose record the storage merged ({@code saved} null) reload it.
     */
    void committed(long tid) {
        writes.forEachOid(oid -> {
            ObjectState s = stateOf(cache.get(oid));
            if (s != null) {
                s.created = false;
                if (s.status != ObjectStatus.GHOST) {
                    s.serial = tid;
                    if (s.saved == null) {
                        ghosts.unload(s);
                        cache.ghosted(s);
                    }
                }
            }
        });
        writes.clear();
        endTransaction();
    }

    /** The storage merged {@code oid}'s record at vote: reloaded after finish. */
    void mergedByStorage(long oid) {
        ObjectState s = stateOf(cache.get(oid));
        if (s != null) {
            s.saved = null;
        }
    }

    // ---- rollback and abort -----------------------------------------------------------------------------

    /** Goes back to a savepoint of this transaction; the savepoint stays usable. */
    void rollbackTo(SavepointStates.Mark mark, LongLongTable createdAtMark) {
        disowning.all(created, createdAtMark); // first: a ghost among them reads a record restore drops
        for (ObjectState s : touched) {
            forget(s);
        }
        touched.clear();
        writes.restore(mark, oid -> {
            ObjectState s = stateOf(cache.get(oid));
            if (s != null) {
                forget(s);
            }
        });
        created = createdAtMark.copy(); // the mark stays usable: a savepoint can be rolled back again
    }

    /**
     * Throws the transaction's changes away: changed objects become ghosts, new ones are disowned. Then
     * {@link #clear} ends it.
     */
    void forgetChanges() {
        disowning.all(created, null);
        for (ObjectState s : touched) {
            forget(s);
        }
        touched.clear();
        writes.forEachOid(oid -> {
            ObjectState s = stateOf(cache.get(oid));
            if (s != null) {
                forget(s);
            }
        });
    }

    /** Deletes the savepoint data and ends the transaction. */
    void clear() {
        writes.clear();
        endTransaction();
    }

    /**
     * Settles the objects used outside a transaction ({@link OutsideChanges}). Objects that got an oid there
     * (written while being compared) are thrown away by {@code discard}, the session's whole discard.
     */
    void settleOutside(Runnable discard) {
        boolean lost = outside.settle();
        if (!created.isEmpty() || !touched.isEmpty()) {
            lost = true;
            discard.run();
        }
        if (lost) {
            System.getLogger(Session.class.getName()).log(System.Logger.Level.WARNING, "objects changed"
                    + " outside a transaction (with an explicit-mode manager and no transaction begun, in an"
                    + " after-commit hook, or in a failed transaction before its abort) lost their changes;"
                    + " change persistent objects only inside a transaction");
        }
    }

    /** Whether objects used outside a transaction wait to be settled. */
    boolean hasOutside() {
        return !outside.isEmpty();
    }

    /**
     * Rolls one object back to a ghost, unless it was disowned: the objects that got their oid after the point
     * rolled back to were, before anything else ({@link Disowning#all}).
     */
    private void forget(ObjectState s) {
        if (s.self.$jodbState() == s) {
            ghosts.invalidate(s);
        }
    }

    /** A ghost was made for {@code s.oid}; see {@link Disowning#ghostMade}. */
    void ghostMade(ObjectState s) {
        disowning.ghostMade(s);
    }

    static ObjectState stateOf(PersistentObject p) {
        return p == null ? null : p.$jodbState();
    }
}
