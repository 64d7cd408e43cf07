package org.jodb.internal.object;

import java.util.LinkedHashMap;
import org.jodb.PersistentMap;

/**
 * A run of consecutive entries of a large {@code PersistentMap}, in insertion order, as a persistent object
 * of its own (see {@link MapLayout}). It has its own record, so changing one entry rewrites this chunk
 * only. The application never sees a chunk: it is reached only through the map's layout.
 *
 * <p>Equality is identity: chunks are compared as references (the layout's list, conflict resolution),
 * never by content, which would load them. Not thread-safe, like the connection it belongs to.
 */
final class MapChunk implements PersistentObject, MergeableState, ContainerPart {
    private transient ObjectState $jodbState;
    /** The chunk's entries in insertion order; never null once loaded or created. */
    private LinkedHashMap<Object, Object> entries;

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

    /** The entries, loaded if this is a ghost; not touched. */
    LinkedHashMap<Object, Object> read() {
        ObjectState s = $jodbState;
        if (s != null) {
            s.beforeRead();
        }
        return entries;
    }

    /** The entries, loaded if this is a ghost and touched: the next savepoint or commit compares them. */
    LinkedHashMap<Object, Object> change() {
        ObjectState s = $jodbState;
        if (s != null) {
            s.beforeCall();
        }
        return entries;
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
