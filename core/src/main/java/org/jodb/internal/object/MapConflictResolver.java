package org.jodb.internal.object;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jodb.PersistentMap;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.RecordContext;
import org.jodb.spi.ConflictResolver;

/**
 * Merges concurrent writes to one {@code PersistentMap} (ZODB's BTrees do the same): two transactions
 * that insert, replace or remove <em>different</em> keys both commit; the result holds both changes.
 *
 * <p>Three kinds of records are merged:
 * <ul>
 * <li>the record of a {@code PersistentMap} in its single-record form, and a {@link MapChunk} of a large
 *     one: their entries. Resolved: changes to disjoint keys; and the same change made by both (same key,
 *     equal value), except, in a chunk, both inserting or both removing one key (the map's size counter
 *     would count it twice), and a chunk that either side emptied (a chunk that leaves its map's chunk
 *     list is written empty: a change the other side made to it would land outside the map). Not
 *     resolved: both changed one key differently; values compared are neither persistent (compared by
 *     identity) nor equal by {@code equals} (a value class without {@code equals} counts as changed);
 *     keys that are persistent objects.</li>
 * <li>the record of a {@code PersistentMap} in its chunked form ({@link MapLayout}): resolved when the
 *     three revisions have the same chunk list; the counters add up ({@code committed + mine - old}).
 *     Different chunk lists (a chunk added or dropped, a change of form) are not resolved. This keeps a
 *     key in one chunk: under one chunk list both writers insert into the same last chunk, whose own
 *     merge sees both insertions.</li>
 * </ul>
 * Never merged: subclasses of {@code PersistentMap} (their own fields are part of the state, and this
 * merge knows only the entries), other map classes and every other persistent class; any record that
 * cannot be decoded without the storage.
 *
 * <p>Runs inside the storage's vote, holding its commit lock: it reads nothing from the storage, only
 * the database's registry (which knows the entries of a transaction from its vote on, so that the records
 * it finished are readable here at once), the committing connection's own new entries, and the entries
 * the decoded records name.
 */
final class MapConflictResolver implements ConflictResolver {
    private final ObjectLayer store;
    private final PendingEntries pending;

    MapConflictResolver(ObjectLayer store, PendingEntries pending) {
        this.store = store;
        this.pending = pending;
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
            if (codec.typeOf(oldState, ctx) != type || codec.typeOf(newState, ctx) != type) {
                return null;
            }
            if (type == MapChunk.class) {
                MapChunk committed = (MapChunk) decode(committedState, type, ctx);
                Map<Object, Object> old = ((MapChunk) decode(oldState, type, ctx)).decoded();
                Map<Object, Object> mine = ((MapChunk) decode(newState, type, ctx)).decoded();
                if (!old.isEmpty() && (committed.decoded().isEmpty() || mine.isEmpty())) {
                    return null; // one side took the chunk out of its map: the other's change has no place
                }
                boolean merged = mergeEntries(old, committed.decoded(), mine, true);
                return merged ? codec.write(committed, ctx) : null;
            }
            // exactly PersistentMap: a subclass may have fields of its own, which this merge would drop
            if (type != PersistentMap.class) {
                return null;
            }
            MapRecord old = (MapRecord) decode(oldState, type, ctx);
            MapRecord committed = (MapRecord) decode(committedState, type, ctx);
            MapRecord mine = (MapRecord) decode(newState, type, ctx);
            if (old.$jodbEntries() != null && committed.$jodbEntries() != null && mine.$jodbEntries() != null) {
                boolean merged = mergeEntries(old.$jodbEntries(), committed.$jodbEntries(), mine.$jodbEntries(),
                        false);
                return merged ? codec.write(committed, ctx) : null;
            }
            MapLayout o = old.$jodbLayout();
            MapLayout c = committed.$jodbLayout();
            MapLayout m = mine.$jodbLayout();
            if (o == null || c == null || m == null || !o.chunks().equals(c.chunks())
                    || !o.chunks().equals(m.chunks())) {
                return null;
            }
            c.counters(c.size() + m.size() - o.size(), c.changes() + m.changes() - o.changes());
            return codec.write(committed, ctx);
        } catch (RuntimeException unresolvable) {
            return null; // the writer gets a ConflictException, which is always safe
        }
    }

    /**
     * Applies to {@code committed} what this transaction changed from {@code old} to {@code mine}; false
     * when that cannot be done safely. With {@code strict}, the same insertion or removal made by both is
     * refused too (chunks: the map's size counts each transaction's insertions and removals).
     */
    private static boolean mergeEntries(Map<Object, Object> old, Map<Object, Object> committed,
            Map<Object, Object> mine, boolean strict) {
        Set<Object> keys = new LinkedHashSet<>(old.keySet());
        keys.addAll(mine.keySet());
        for (Object key : keys) {
            if (key instanceof PersistentObject) {
                return false;
            }
            boolean inOld = old.containsKey(key);
            boolean inMine = mine.containsKey(key);
            if (inOld == inMine && same(old.get(key), mine.get(key))) {
                continue; // this transaction did not change the key
            }
            boolean inCommitted = committed.containsKey(key);
            boolean theyChanged = !(inOld == inCommitted && same(old.get(key), committed.get(key)));
            if (theyChanged) {
                if (inMine == inCommitted && same(mine.get(key), committed.get(key))
                        && !(strict && inOld != inMine)) {
                    continue; // both made the same change
                }
                return false;
            }
            if (inMine) {
                committed.put(key, mine.get(key));
            } else {
                committed.remove(key);
            }
        }
        return true;
    }

    private Object decode(byte[] record, Class<?> type, Decoding ctx) {
        Object object = store.codec.newInstance(type);
        store.codec.readInto(record, object, ctx);
        return object; // no state: its content is plain
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof PersistentObject || b instanceof PersistentObject) {
            return a == b;
        }
        return Objects.equals(a, b);
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
            String entry = store.registry.entryOf(id);
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
