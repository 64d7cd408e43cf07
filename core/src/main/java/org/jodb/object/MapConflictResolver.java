package org.jodb.object;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jodb.PersistentMap;
import org.jodb.serialization.RecordCodec;
import org.jodb.serialization.RecordContext;
import org.jodb.spi.ConflictResolver;

/**
 * Merges concurrent writes to one {@code PersistentMap} (ZODB's BTrees do the same): two transactions
 * that insert, replace or remove <em>different</em> keys both commit; the result holds both changes.
 *
 * <p>Resolved: changes to disjoint keys; and the same change made by both (same key, equal value).
 * Not resolved (the commit fails with {@code ConflictException}): both changed one key differently;
 * values compared are neither persistent (compared by identity) nor equal by {@code equals} (a value
 * class without {@code equals} counts as changed); keys that are persistent objects; subclasses of
 * {@code PersistentMap} (their own fields are part of the state, and this merge knows only the entries),
 * other map classes and every other persistent class; any record that cannot be decoded without the storage.
 *
 * <p>Runs inside the storage's vote, holding its commit lock: it reads nothing from the storage, only
 * the database's registry and the committing connection's own new entries.
 */
final class MapConflictResolver implements ConflictResolver {
    private final ObjectStore store;
    private final Session session;

    MapConflictResolver(ObjectStore store, Session session) {
        this.store = store;
        this.session = session;
    }

    @Override
    public byte[] resolve(long oid, byte[] oldState, byte[] committedState, byte[] newState) {
        if (oldState == null || RecordCodec.isEntryRecord(committedState)) {
            return null;
        }
        try {
            Decoding ctx = new Decoding();
            RecordCodec codec = store.codec;
            Class<?> type = codec.typeOf(committedState, ctx);
            // exactly PersistentMap: a subclass may have fields of its own, which this merge would drop
            if (type != PersistentMap.class
                    || codec.typeOf(oldState, ctx) != type || codec.typeOf(newState, ctx) != type) {
                return null;
            }
            Map<Object, Object> old = decode(oldState, type, ctx);
            Map<Object, Object> committed = decode(committedState, type, ctx);
            Map<Object, Object> mine = decode(newState, type, ctx);
            Set<Object> keys = new LinkedHashSet<>(old.keySet());
            keys.addAll(mine.keySet());
            for (Object key : keys) {
                if (key instanceof PersistentObject) {
                    return null;
                }
                boolean inOld = old.containsKey(key);
                boolean inMine = mine.containsKey(key);
                if (inOld == inMine && same(old.get(key), mine.get(key))) {
                    continue; // this transaction did not change the key
                }
                boolean inCommitted = committed.containsKey(key);
                boolean theyChanged = !(inOld == inCommitted && same(old.get(key), committed.get(key)));
                if (theyChanged) {
                    if (inMine == inCommitted && same(mine.get(key), committed.get(key))) {
                        continue; // both made the same change
                    }
                    return null;
                }
                if (inMine) {
                    committed.put(key, mine.get(key));
                } else {
                    committed.remove(key);
                }
            }
            return codec.write(committed, ctx);
        } catch (RuntimeException unresolvable) {
            return null; // the writer gets a ConflictException, which is always safe
        }
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> decode(byte[] record, Class<?> type, Decoding ctx) {
        Object map = store.codec.newInstance(type);
        store.codec.readInto(record, map, ctx);
        return (Map<Object, Object>) map; // no state: behaves as a plain map
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

        @Override
        public long entryId(String entry) {
            Long id = store.registry.idOf(entry);
            if (id == null) {
                id = session.pendingEntryId(entry);
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
                entry = session.pendingEntry(id);
            }
            if (entry == null) {
                throw new IllegalStateException("entry unknown without the storage: " + id);
            }
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
