package org.jodb.internal.object;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jodb.PersistentMap;
import org.jodb.internal.serialization.LazyMapValues;
import org.jodb.internal.serialization.LazyReference;

/**
 * A run of consecutive entries of a large {@code PersistentMap}, in insertion order, as a persistent object
 * of its own (see {@link MapLayout}). It has its own record, so changing one entry rewrites this chunk
 * only. The application never sees a chunk: it is reached only through the map's layout.
 *
 * <p>A loaded chunk's values that are persistent objects the connection had not cached stay
 * {@link LazyReference}s ({@link LazyMapValues}) until asked for: a lookup by key makes one instance, not one
 * ghost per entry. {@link #value} resolves the one it returns, {@link #read} and {@link #change} all of them;
 * only {@link #forKeys} (keys and count) and {@link #decoded} (conflict resolution, whose records are read
 * without lazy values) leave them be.
 *
 * <p>A loaded chunk whose keys and values are all immutable holds entries shared with the database's other
 * connections that loaded the same revision ({@link SharedRevisions}): it only reads them, resolving a lazy
 * value each time it hands it out, and copies them into entries of its own before anything that may change
 * them or resolves all its values: {@link #change}, {@link #read} (which a walk of the values uses),
 * {@link #ownForKeys} (a walk of the keys), {@link #resolveLazyValues} (before the chunk is written or disowned).
 *
 * <p>Equality is identity: chunks are compared as references (the layout's list, conflict resolution),
 * never by content, which would load them. Not thread-safe, like the connection it belongs to.
 */
final class MapChunk implements PersistentObject, MergeableState, ContainerPart, LazyMapValues {
    private transient ObjectState $jodbState;
    /** The chunk's entries in insertion order; never null once loaded or created. */
    private LinkedHashMap<Object, Object> entries;
    /**
     * Whether {@link #entries} may hold a {@link LazyReference}: set by each read of the record (a load, a
     * rollback), cleared once every value is resolved. A flag rather than the resolved map itself, so that a
     * ghosted chunk holds nothing of its entries.
     */
    private transient boolean lazyValues;
    /**
     * Whether {@link #entries} is a map shared with other connections ({@link SharedRevisions}), which no one
     * changes: a lazy value in it is resolved each time it is handed out and never stored back.
     */
    private transient boolean shared;

    MapChunk() {
        entries = new LinkedHashMap<>();
    }

    /**
     * A new chunk that new keys fill up to {@link MapLayout#CHUNK_CAPACITY}: its table is sized for them, so
     * that filling it does not rehash it again and again (a decoded chunk is sized by its decoder instead).
     */
    static MapChunk forNewKeys() {
        MapChunk c = new MapChunk();
        c.entries = new LinkedHashMap<>(MapLayout.CHUNK_CAPACITY * 4 / 3 + 1);
        return c;
    }

    @Override
    public ObjectState $jodbState() {
        return $jodbState;
    }

    @Override
    public void $jodbState(ObjectState state) {
        this.$jodbState = state;
    }

    /**
     * The entries, loaded if this is a ghost, not touched, for their keys and count only: a value may still be a
     * {@link LazyReference}, which must not be handed out ({@link #value} and {@link #read} resolve them).
     */
    LinkedHashMap<Object, Object> forKeys() {
        ObjectState s = $jodbState;
        if (s != null) {
            s.beforeRead();
        }
        return entries;
    }

    /**
     * The value of {@code key} in {@link #forKeys}, which the caller just read: resolved to the connection's
     * instance if it was a {@link LazyReference}. The entry then holds the instance (the chunk is not touched,
     * its record is the same), unless the entries are shared: then the next call resolves it again (a lookup
     * in the connection's cache, counted as a hit).
     */
    Object resolve(Object key, Object value) {
        if (!(value instanceof LazyReference r)) {
            return value;
        }
        Object instance = jar().resolveReference(r.oid(), r.type());
        if (!shared) {
            entries.replace(key, instance); // only a key present: no change of order, no modCount
        }
        return instance;
    }

    /** The value of {@code key} (null when absent), loaded if this is a ghost; not touched. */
    Object value(Object key) {
        return resolve(key, forKeys().get(key));
    }

    /** The entries, loaded if this is a ghost, every value resolved; not touched. */
    LinkedHashMap<Object, Object> read() {
        forKeys();
        resolveLazyValues();
        return entries;
    }

    /**
     * The entries, loaded if this is a ghost, not touched, and this chunk's own (a copy of shared ones first):
     * for a walk of the keys, which must fail fast, as the JDK's iterators do, when the chunk changes under it.
     * A value may still be a {@link LazyReference}, as in {@link #forKeys}.
     */
    LinkedHashMap<Object, Object> ownForKeys() {
        forKeys();
        if (shared) {
            ownEntries();
        }
        return entries;
    }

    /**
     * Shares the entries just decoded from this chunk's committed record, when all their keys and values are
     * immutable: they become read-only here too. Returns them, or null when they stay this chunk's own.
     */
    LinkedHashMap<Object, Object> shareable() {
        LinkedHashMap<Object, Object> e = entries;
        for (Map.Entry<Object, Object> entry : e.entrySet()) {
            if (!SharedKeys.immutable(entry.getKey()) || !SharedKeys.immutable(entry.getValue())) {
                return null;
            }
        }
        shared = true;
        lazyValues = false;
        return e;
    }

    /** Takes {@code sharedEntries}, decoded by another connection from the record this chunk is loading. */
    void adopt(LinkedHashMap<Object, Object> sharedEntries) {
        entries = sharedEntries;
        shared = true;
        lazyValues = false;
    }

    /** Gives this chunk entries of its own, a copy of the shared ones, their lazy values to be resolved. */
    private void ownEntries() {
        entries = new LinkedHashMap<>(entries);
        shared = false;
        lazyValues = true;
    }

    /**
     * The entries, loaded if this is a ghost, every value resolved, and touched: the next savepoint or commit
     * compares them.
     */
    LinkedHashMap<Object, Object> change() {
        ObjectState s = $jodbState;
        if (s != null) {
            s.beforeCall();
        }
        resolveLazyValues();
        return entries;
    }

    @Override
    public void valuesRead() {
        lazyValues = true;
        shared = false;
    }

    @Override
    public void resolveLazyValues() {
        if (shared && entries != null) {
            ownEntries();
        }
        LinkedHashMap<Object, Object> e = entries;
        if (lazyValues && e != null) {
            resolveAll(e);
        }
    }

    /** The connection that read the lazy values, which alone can resolve them. */
    private ObjectJar jar() {
        ObjectState s = $jodbState;
        if (s == null) {
            throw new IllegalStateException(this + " holds unresolved values but belongs to no connection any"
                    + " more (a disowned chunk must have resolved them): please report this as a bug of jodb");
        }
        return s.jar;
    }

    private void resolveAll(LinkedHashMap<Object, Object> e) {
        for (Map.Entry<Object, Object> entry : e.entrySet()) {
            if (entry.getValue() instanceof LazyReference r) {
                entry.setValue(jar().resolveReference(r.oid(), r.type()));
            }
        }
        lazyValues = false;
    }

    /** The entries as decoded, without loading: for conflict resolution on a stateless instance. */
    LinkedHashMap<Object, Object> decoded() {
        return entries;
    }

    /**
     * Merges the entries (see {@link EntryMerge}). A chunk that either side emptied is not merged: a chunk that leaves its map's
     * chunk list is written empty, and a change the other side made to it would land outside the map.
     */
    @Override
    public boolean $jodbMerge(Object oldState, Object myState) {
        LinkedHashMap<Object, Object> old = ((MapChunk) oldState).entries;
        LinkedHashMap<Object, Object> mine = ((MapChunk) myState).entries;
        if (!old.isEmpty() && (entries.isEmpty() || mine.isEmpty())) {
            return false;
        }
        return EntryMerge.apply(old, entries, mine);
    }

    @Override
    public String toString() {
        ObjectState s = $jodbState;
        return "MapChunk[" + (s == null ? "new" : "oid " + s.oid) + "]";
    }

    /** A conflict in a chunk is a conflict of the map whose entries it holds. */
    @Override
    public String $jodbContainerName() {
        return PersistentMap.class.getName();
    }
}
