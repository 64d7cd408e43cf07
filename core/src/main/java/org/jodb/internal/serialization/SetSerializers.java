package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jodb.UnsupportedClassException;

/**
 * Serializers for the JDK's sets that are backed by a map: {@code ConcurrentHashMap.newKeySet()} (and
 * {@code keySet(mappedValue)}) and {@code Collections.newSetFromMap(map)}. Each is stored as its map, so it
 * loads back as the same kind of set: concurrent, ordered, sorted (with the map's comparator) or by
 * identity, as the map was. {@code ConcurrentHashMap.keySet()}, a read-only view of a map that has values
 * of its own, stays refused like the other views ({@link UnreadableTypes}).
 */
final class SetSerializers {
    private SetSerializers() {
    }

    static void register(Kryo kryo) {
        kryo.addDefaultSerializer(ConcurrentHashMap.KeySetView.class, new KeySetView());
        kryo.addDefaultSerializer(Collections.newSetFromMap(new HashMap<>()).getClass(), new SetFromMap());
    }

    /** A {@code KeySetView} that can add, as its map and the value {@code add} puts in the map. */
    private static final class KeySetView extends Serializer<ConcurrentHashMap.KeySetView<Object, Object>> {
        @Override
        public void write(Kryo kryo, Output output, ConcurrentHashMap.KeySetView<Object, Object> set) {
            if (set.getMappedValue() == null) {
                throw new UnsupportedClassException("jodb cannot store a " + set.getClass().getName()
                        + " from ConcurrentHashMap.keySet(): it is a view or wrapper that jodb cannot rebuild;"
                        + " store a copy: new LinkedHashSet<>(view), or a set of its own:"
                        + " ConcurrentHashMap.newKeySet()");
            }
            kryo.writeClassAndObject(output, set.getMap());
            kryo.writeClassAndObject(output, set.getMappedValue());
        }

        @Override
        @SuppressWarnings("unchecked")
        public ConcurrentHashMap.KeySetView<Object, Object> read(Kryo kryo, Input input,
                Class<? extends ConcurrentHashMap.KeySetView<Object, Object>> type) {
            ConcurrentHashMap<Object, Object> map = (ConcurrentHashMap<Object, Object>) kryo.readClassAndObject(input);
            Object mappedValue = kryo.readClassAndObject(input);
            return map.keySet(mappedValue);
        }
    }

    /**
     * A {@code Collections.newSetFromMap} set as its map. The map is in a private field that
     * {@code java.base} does not open to reflection; it is read through the set's documented serialized
     * form instead (fields {@code m} and {@code s}): Java serialization hands each field's value to
     * {@link ObjectOutputStream#replaceObject} before writing it, and the first map handed over is taken
     * and the serialization stopped, so nothing of the elements is serialized.
     */
    private static final class SetFromMap extends Serializer<Set<Object>> {
        @Override
        public void write(Kryo kryo, Output output, Set<Object> set) {
            kryo.writeClassAndObject(output, backingMap(set));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Set<Object> read(Kryo kryo, Input input, Class<? extends Set<Object>> type) {
            Map<Object, Boolean> map = (Map<Object, Boolean>) kryo.readClassAndObject(input);
            // newSetFromMap wants an empty map: take the elements out and put them back through the set.
            List<Object> elements = new ArrayList<>(map.keySet());
            map.clear();
            Set<Object> set = Collections.newSetFromMap(map);
            set.addAll(elements);
            return set;
        }

        private static Map<?, ?> backingMap(Set<?> set) {
            try (MapCatcher catcher = new MapCatcher(set)) {
                catcher.writeObject(set);
            } catch (Caught caught) {
                return caught.map;
            } catch (IOException | RuntimeException e) {
                throw new UnsupportedClassException("jodb cannot store a " + set.getClass().getName()
                        + " (Collections.newSetFromMap): its map could not be found (" + e + "); store a copy:"
                        + " new LinkedHashSet<>(set)");
            }
            throw new UnsupportedClassException("jodb cannot store a " + set.getClass().getName()
                    + " (Collections.newSetFromMap): its serialized form names no map; store a copy:"
                    + " new LinkedHashSet<>(set)");
        }
    }

    /** Stops Java serialization of a set at the first map it meets, and reports it. */
    private static final class MapCatcher extends ObjectOutputStream {
        private final Object set;

        MapCatcher(Object set) throws IOException {
            super(OutputStream.nullOutputStream());
            this.set = set;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj != set && obj instanceof Map<?, ?> map) {
                throw new Caught(map);
            }
            return obj;
        }
    }

    private static final class Caught extends RuntimeException {
        final transient Map<?, ?> map;

        Caught(Map<?, ?> map) {
            super(null, null, false, false);
            this.map = map;
        }
    }
}
