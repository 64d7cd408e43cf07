package org.jodb.internal.object;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.jodb.ObjectNotFoundException;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.RecordContext;
import org.jodb.spi.Revision;

/**
 * Loads one session's objects: makes the instance for an oid, and fills a ghost with its state. A record
 * written at a savepoint of the current transaction is read before the snapshot's. References in a record
 * become the cached instance, or a new ghost. Used by the session's thread only.
 */
final class ObjectLoader {
    private final ObjectRecordCodec codec;
    private final Proxies proxies;
    private final ObjectCache cache;
    private final Snapshot snapshot;
    private final ChangeTracker changes;
    /** The session, as the owner of the objects loaded. */
    private final ObjectJar jar;
    /** The session, as the serializer's context. */
    private final RecordContext records;

    /** Counts the lookups this cache answered (its hits; each load from the storage is a miss). */
    private final DatabaseCounters counters;
    /** What the database's connections decoded of chunks and tree nodes, shared by them. */
    private final SharedRevisions shared;

    ObjectLoader(ObjectLayer layer, ObjectCache cache, Snapshot snapshot, ChangeTracker changes, ObjectJar jar,
            RecordContext records) {
        this.codec = layer.codec;
        this.counters = layer.counters;
        this.shared = layer.shared;
        this.proxies = layer.proxies;
        this.cache = cache;
        this.snapshot = snapshot;
        this.changes = changes;
        this.jar = jar;
        this.records = records;
    }

    /** The object with {@code oid}, loaded: the cached instance, or a new one filled from its record. */
    PersistentObject get(long oid) {
        if (oid < 0) {
            throw new ObjectNotFoundException(oid, "no object has oid " + oid + ": oids are 0 or more");
        }
        PersistentObject cached = cached(oid);
        if (cached != null) {
            return cached;
        }
        byte[] data;
        long serial;
        boolean committed = !changes.hasSavedRecord(oid);
        if (!committed) {
            data = changes.savedRecord(oid);
            serial = changes.savedSerial(oid);
        } else {
            Revision r = snapshot.load(oid);
            if (r == null || ObjectRecordCodec.isEntryRecord(r.data())) {
                throw new ObjectNotFoundException(oid, "no object with oid " + oid + " in this connection's"
                        + " snapshot (tid " + snapshot.tid() + "); check the oid, or start a new transaction to see"
                        + " newer commits");
            }
            data = r.data();
            serial = r.tid();
        }
        PersistentObject object = (PersistentObject) codec.newInstance(codec.typeOf(data, records));
        ObjectState state = new ObjectState(object, jar, ObjectStatus.GHOST);
        state.oid = oid;
        state.created = changes.isCreated(oid); // loaded again from a savepoint's record after a collection
        object.$jodbState(state);
        cache.put(state);
        fill(state, data, serial, committed);
        return object;
    }

    /** Fills the ghost {@code state} with its saved or committed state. */
    void load(ObjectState state) {
        byte[] data;
        long serial;
        boolean committed = !changes.hasSavedRecord(state.oid);
        if (!committed) {
            data = changes.savedRecord(state.oid);
            serial = changes.savedSerial(state.oid);
        } else {
            Revision r = snapshot.load(state.oid);
            if (r == null) {
                throw new ObjectNotFoundException(state.oid, "object " + state.oid + " ("
                        + proxies.userClass(state.self.getClass()).getName() + ") has no record in"
                        + " this connection's snapshot (tid " + snapshot.tid() + "); it was removed by pack or"
                        + " never committed");
            }
            data = r.data();
            serial = r.tid();
        }
        fill(state, data, serial, committed);
    }

    /**
     * Fills the ghosts among {@code states} (this session's, each once), reading the records the snapshot
     * holds for them in one storage call; a ghost with a record written at a savepoint of the current
     * transaction is filled from that record instead, as {@link #load} would. A ghost whose object has no
     * record in the snapshot stays a ghost (its own load reports that).
     *
     * <p>When the storage call fails, every object stays a ghost. When one record cannot be read into its
     * object, that failure is thrown as its own load would throw it: the objects filled before it hold their
     * snapshot's state, which is what any load would have given them, and the rest stay ghosts.
     */
    void loadAll(List<ObjectState> states) {
        boolean[] fromStorage = new boolean[states.size()];
        long[] oids = new long[states.size()];
        int asked = 0;
        for (int i = 0; i < states.size(); i++) {
            ObjectState s = states.get(i);
            if (s.status == ObjectStatus.GHOST && !changes.hasSavedRecord(s.oid)) {
                fromStorage[i] = true;
                oids[asked++] = s.oid;
            }
        }
        Revision[] found = asked == 0 ? new Revision[0] : snapshot.loadAll(Arrays.copyOf(oids, asked));
        int next = 0;
        for (int i = 0; i < states.size(); i++) {
            ObjectState s = states.get(i);
            Revision r = fromStorage[i] ? found[next++] : null;
            if (s.status != ObjectStatus.GHOST) {
                continue; // filled meanwhile, by the reading of another record
            }
            if (fromStorage[i]) {
                if (r != null) {
                    fill(s, r.data(), r.tid(), true);
                }
            } else if (changes.hasSavedRecord(s.oid)) {
                fill(s, changes.savedRecord(s.oid), changes.savedSerial(s.oid), false);
            }
        }
    }

    /** The cached instance of {@code oid}, counted as a hit, or {@code null}. */
    private PersistentObject cached(long oid) {
        PersistentObject cached = cache.get(oid);
        if (cached != null) {
            counters.hits.increment();
        }
        return cached;
    }

    /** The instance for a reference read from a record: the cached one, or a new ghost of {@code type}. */
    PersistentObject resolve(long oid, Class<?> type) {
        PersistentObject cached = cached(oid);
        if (cached != null) {
            return cached;
        }
        PersistentObject ghost = (PersistentObject) codec.newInstance(type);
        ObjectState s = new ObjectState(ghost, jar, ObjectStatus.GHOST);
        s.oid = oid;
        s.created = changes.isCreated(oid); // an earlier instance was collected after a savepoint
        ghost.$jodbState(s);
        cache.put(s);
        changes.ghostMade(s);
        return ghost;
    }

    /**
     * Offers the other connections what was just decoded from {@code state}'s committed revision {@code record},
     * if it can be shared.
     */
    private void offer(ObjectState state, long serial, byte[] record) {
        Object decoded = state.self instanceof MapChunk chunk ? chunk.shareable()
                : state.self instanceof SharedKeys node ? node.$jodbKeysToShare() : null;
        if (decoded != null) {
            shared.put(state.oid, serial, decoded, record);
        }
    }

    /**
     * Fills {@code state} from {@code data}, the record of its revision {@code serial}: a committed one
     * ({@code committed}), or one of this transaction's savepoints. A chunk of a large map takes the entries
     * another connection decoded from the same committed revision, if they are still shared, instead of
     * decoding the record, and a tree's node takes the keys; either also keeps that connection's copy of the
     * record's bytes rather than its own. Each offers what it decodes itself ({@link SharedRevisions}).
     */
    @SuppressWarnings("unchecked")
    private void fill(ObjectState state, byte[] data, long serial, boolean committed) {
        state.status = ObjectStatus.LOADING; // a call on it while its record is read must not load it again
        byte[] saved = data;
        try {
            boolean shareable = committed && state.self instanceof ContainerPart;
            SharedRevisions.Revision revision = shareable ? shared.get(state.oid, serial) : null;
            Object sharing = revision == null ? null : revision.decoded();
            boolean adopted = false;
            if (state.self instanceof MapChunk chunk && sharing instanceof LinkedHashMap<?, ?> entries) {
                chunk.adopt((LinkedHashMap<Object, Object>) entries);
                adopted = true;
            } else {
                codec.readInto(data, state.self, records);
                if (sharing != null && state.self instanceof SharedKeys node) {
                    node.$jodbAdoptKeys(sharing);
                    adopted = true;
                } else if (shareable) {
                    offer(state, serial, data);
                }
            }
            byte[] record = adopted ? revision.record() : null;
            if (record != null && record.length == data.length) {
                saved = record; // the same revision's bytes, kept once for all connections
            }
        } catch (RuntimeException | Error e) {
            state.status = ObjectStatus.GHOST;
            throw e;
        }
        cache.resized(state, data.length);
        state.saved = saved;
        state.serial = serial;
        state.forced = false;
        state.status = ObjectStatus.CLEAN;
        cache.used(state);
    }
}
