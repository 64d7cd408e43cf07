package org.jodb;

import java.util.AbstractCollection;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The views of a {@link PersistentMap}: keySet, values and entrySet. Each call goes to the map as it is
 * now, so a view stays right when the map changes form (single record, chunks) or is reloaded. A change
 * through a view ({@code remove}, {@code clear}, an iterator's {@code remove}, an entry's
 * {@code setValue}) touches what it changes; iterating values or entries also touches what it walks over,
 * since the values handed out may be changed in place; the other reading methods touch nothing.
 */
final class MapViews {
    private MapViews() {
    }

    /** The entries seen through {@code part} (key or value); a removal goes to the entry iterator. */
    private static <K, V, T> Iterator<T> project(Iterator<Map.Entry<K, V>> entries,
                                                 Function<Map.Entry<K, V>, T> part) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public T next() {
                return part.apply(entries.next());
            }

            @Override
            public void remove() {
                entries.remove();
            }
        };
    }

    static final class Keys<K, V> extends AbstractSet<K> {
        private final PersistentMap<K, V> map;

        Keys(PersistentMap<K, V> map) {
            this.map = map;
        }

        @Override
        public Iterator<K> iterator() {
            return project(map.entryIterator(false, false), Map.Entry::getKey);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean contains(Object o) {
            return map.containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            if (!map.containsKey(o)) {
                return false;
            }
            map.remove(o);
            return true;
        }

        @Override
        public void clear() {
            map.clear();
        }
    }

    static final class Values<K, V> extends AbstractCollection<V> {
        private final PersistentMap<K, V> map;

        Values(PersistentMap<K, V> map) {
            this.map = map;
        }

        @Override
        public Iterator<V> iterator() {
            return project(map.entryIterator(true, true), Map.Entry::getValue);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean contains(Object o) {
            return map.containsValue(o);
        }

        @Override
        public void clear() {
            map.clear();
        }
    }

    static final class Entries<K, V> extends AbstractSet<Map.Entry<K, V>> {
        private final PersistentMap<K, V> map;
        /** False for reading the entries only (equals, hashCode, toString of the map). */
        private final boolean touch;

        Entries(PersistentMap<K, V> map, boolean touch) {
            this.map = map;
            this.touch = touch;
        }

        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return map.entryIterator(touch, true);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean contains(Object o) {
            return o instanceof Map.Entry<?, ?> e && map.containsKey(e.getKey())
                    && Objects.equals(map.get(e.getKey()), e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!contains(o)) {
                return false;
            }
            map.remove(((Map.Entry<?, ?>) o).getKey());
            return true;
        }

        @Override
        public void clear() {
            map.clear();
        }
    }
}
