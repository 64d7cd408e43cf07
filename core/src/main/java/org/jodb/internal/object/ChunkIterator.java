package org.jodb.internal.object;

import java.util.AbstractMap;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The iterator of a large map's entries ({@link MapLayout#iterator}): walks the chunks by position, so
 * that dropping an emptied chunk while iterating is safe.
 *
 * <p>The cache may turn the map or a chunk into a ghost while an iteration is under way (cacheMinimize,
 * a savepoint's gc): only clean ones, whose reload is what the iterator saw, so the iteration goes on
 * over what it walked, which is no longer the live content. Then an entry handed out carries the value
 * of the live chunk (the one a change in place must reach), and {@link #remove()} removes the key
 * through the live layout, by key, still without merging chunks (the walk goes on over the list it
 * walked, where a chunk emptied meanwhile is simply empty).
 */
final class ChunkIterator implements Iterator<Map.Entry<Object, Object>> {
    private final MapLayout layout;
    private final PersistentObject owner;
    private final boolean touch;
    /** Position in the layout's chunks of the next chunk to open. */
    private int nextChunk;
    private MapChunk currentChunk;
    /** The entries {@link #current} walks: the chunk's own, until the chunk is reloaded. */
    private LinkedHashMap<Object, Object> currentEntries;
    private Iterator<Map.Entry<Object, Object>> current;
    /** What {@link #next} returned last, for remove; lastIterator is null when remove is not allowed. */
    private Iterator<Map.Entry<Object, Object>> lastIterator;
    private LinkedHashMap<Object, Object> lastEntries;
    private MapChunk lastChunk;
    private Object lastKey;

    ChunkIterator(MapLayout layout, PersistentObject owner, boolean touch) {
        this.layout = layout;
        this.owner = owner;
        this.touch = touch;
    }

    @Override
    public boolean hasNext() {
        while ((current == null || !current.hasNext()) && nextChunk < layout.chunks().size()) {
            currentChunk = layout.chunks().get(nextChunk++);
            currentEntries = live(currentChunk);
            current = currentEntries.entrySet().iterator();
        }
        return current != null && current.hasNext();
    }

    @Override
    public Map.Entry<Object, Object> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Map.Entry<Object, Object> e = current.next();
        LinkedHashMap<Object, Object> live = live(currentChunk);
        if (live != currentEntries) { // reloaded: hand out the live value
            if (!live.containsKey(e.getKey())) {
                throw new ConcurrentModificationException("the key was removed from the map around this"
                        + " iterator");
            }
            e = new AbstractMap.SimpleEntry<>(e.getKey(), live.get(e.getKey()));
        }
        lastIterator = current;
        lastEntries = currentEntries;
        lastChunk = currentChunk;
        lastKey = e.getKey();
        return new ChunkEntry(currentChunk, e);
    }

    @Override
    public void remove() {
        if (lastIterator == null) {
            throw new IllegalStateException("remove() without next(), or twice");
        }
        MapLayout.touch(owner);
        MapLayout live = ((MapRecord) owner).$jodbLayout(); // the owner is the map this layout is of
        if (live == null) {
            throw new ConcurrentModificationException("the map went back to one record around this"
                    + " iterator; iterate again");
        }
        // the chunk reloaded, what lastIterator walks is a copy now (left untouched): remove by key
        boolean own = lastChunk.read() == lastEntries;
        int dropped = live.removeFrom(lastChunk, lastKey, own ? lastIterator : null);
        if (live == layout && dropped >= 0 && dropped < nextChunk) {
            nextChunk--;
        }
        lastIterator = null;
    }

    /** The chunk's live entries: loaded if it is a ghost, touched when this iteration touches. */
    private LinkedHashMap<Object, Object> live(MapChunk c) {
        return touch ? c.change() : c.read();
    }

    /** An entry of a chunk; setValue touches the chunk. */
    static final class ChunkEntry implements Map.Entry<Object, Object> {
        private final MapChunk chunk;
        private final Map.Entry<Object, Object> entry;

        ChunkEntry(MapChunk chunk, Map.Entry<Object, Object> entry) {
            this.chunk = chunk;
            this.entry = entry;
        }

        @Override
        public Object getKey() {
            return entry.getKey();
        }

        @Override
        public Object getValue() {
            return entry.getValue();
        }

        @Override
        public Object setValue(Object value) {
            LinkedHashMap<Object, Object> entries = chunk.change();
            if (!entries.containsKey(entry.getKey())) {
                throw new ConcurrentModificationException("the entry was removed from the map");
            }
            Object old = entries.put(entry.getKey(), value);
            entry.setValue(value); // the same when entry is the chunk's own; else getValue must agree
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && Objects.equals(getKey(), e.getKey())
                    && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(getKey()) ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return getKey() + "=" + getValue();
        }
    }
}
