package org.jodb.internal.object;

import java.util.HashMap;
import java.util.Map;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.RecordContext;
import org.jodb.spi.ConflictResolver;

/**
 * Merges concurrent writes to one record (ZODB's {@code _p_resolveConflict}) when its class says how: the
 * three states (the one both transactions started from, the one committed meanwhile, the committing
 * transaction's own) are decoded into three instances, and the committed one, a {@link MergeableState},
 * takes in the committing transaction's change ({@link MergeableState#$jodbMerge}); the result is
 * encoded again. What merges is the class's to say: {@code PersistentMap} and its {@link MapChunk}s merge
 * changes to different keys, a B-tree bucket likewise, a B-tree's size counter adds the two changes.
 * Never merged: the three states of different classes, every class that is not a {@link MergeableState}
 * (the writer gets a {@code ConflictException}), any record that cannot be decoded without the storage.
 *
 * <p>Runs inside the storage's vote, holding its commit lock: it reads nothing from the storage, only
 * the database's registry (which knows the entries of a transaction from its vote on, so that the records
 * it finished are readable here at once), the committing connection's own new entries, and the entries
 * the decoded records name.
 */
final class MapConflictResolver implements ConflictResolver {
    private final ObjectLayer store;
    private final PendingEntries pending;
    /** Whether entries the registry does not know may be read from the storage: not inside a vote. */
    private final boolean loadsEntries;

    MapConflictResolver(ObjectLayer store, PendingEntries pending) {
        this(store, pending, false);
    }

    /**
     * With {@code loadsEntries}, for a merge outside the storage's vote (an undo's, {@link TransactionUndo}): a
     * record naming an entry this database has not read yet reads it from the storage instead of giving up.
     */
    MapConflictResolver(ObjectLayer store, PendingEntries pending, boolean loadsEntries) {
        this.store = store;
        this.pending = pending;
        this.loadsEntries = loadsEntries;
    }

    @Override
    public byte[] resolve(long oid, byte[] oldState, byte[] committedState, byte[] newState) {
        if (oldState == null || ObjectRecordCodec.isEntryRecord(committedState)) {
            return null;
        }
        try {
            Decoding ctx = new Decoding();
            ObjectRecordCodec codec = store.codec;
            Class<?> type = codec.typeOf(committedState, ctx);
            if (!MergeableState.class.isAssignableFrom(type) || codec.typeOf(oldState, ctx) != type
                    || codec.typeOf(newState, ctx) != type) {
                return null;
            }
            MergeableState committed = (MergeableState) decode(committedState, type, ctx);
            boolean merged = committed.$jodbMerge(decode(oldState, type, ctx), decode(newState, type, ctx));
            return merged ? codec.write(committed, ctx) : null;
        } catch (RuntimeException unresolvable) {
            return null; // the writer gets a ConflictException, which is always safe
        }
    }

    private Object decode(byte[] record, Class<?> type, Decoding ctx) {
        Object object = store.codec.newInstance(type);
        store.codec.readInto(record, object, ctx);
        return object; // no state: its content is plain
    }

    /** Decodes without the storage; references become inert ghosts, one instance per oid. */
    private final class Decoding implements RecordContext, ObjectJar {
        private final Map<Long, PersistentObject> ghosts = new HashMap<>();
        /**
         * Entries named by the records decoded here: committed ones (or this transaction's own), even if
         * the registry does not give their ids to new records yet (a transaction that created one publishes
         * it only after its finish, which let this vote start).
         */
        private final Map<String, Long> decoded = new HashMap<>();

        @Override
        public long entryId(String entry) {
            Long id = store.registry.idOf(entry);
            if (id == null) {
                id = decoded.get(entry);
            }
            if (id == null) {
                id = pending.pendingId(entry);
            }
            if (id == null) {
                throw new IllegalStateException("entry not committed: " + entry);
            }
            return id;
        }

        @Override
        public String entry(long id) {
            String entry = loadsEntries ? pending.entryOf(id) : store.registry.entryOf(id);
            if (entry == null) {
                entry = pending.pending(id);
            }
            if (entry == null) {
                throw new IllegalStateException("entry unknown without the storage: " + id);
            }
            decoded.putIfAbsent(entry, id);
            return entry;
        }

        @Override
        public long referenceOid(Object persistent) {
            ObjectState s = ((PersistentObject) persistent).$jodbState();
            if (s == null || s.jar != this) {
                throw new IllegalStateException("not a decoded reference");
            }
            return s.oid;
        }

        @Override
        public Object resolveReference(long oid, Class<?> type) {
            return ghosts.computeIfAbsent(oid, o -> {
                PersistentObject ghost = (PersistentObject) store.codec.newInstance(type);
                ObjectState s = new ObjectState(ghost, this, ObjectStatus.GHOST);
                s.oid = o;
                ghost.$jodbState(s);
                return ghost;
            });
        }

        @Override
        public void beforeFirstCall(ObjectState state) {
            throw new IllegalStateException("conflict resolution cannot load objects");
        }

        @Override
        public void activate(ObjectState state) {
            throw new IllegalStateException("conflict resolution cannot load objects");
        }

        @Override
        public String describe() {
            return "conflict resolution";
        }
    }
}
