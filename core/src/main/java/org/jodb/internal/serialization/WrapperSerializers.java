package org.jodb.internal.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Serializers for the JDK's {@code Collections.unmodifiable*} and {@code Collections.synchronized*}
 * wrappers, which Kryo cannot rebuild (it would call {@code add} on an unmodifiable view, or need
 * reflective access to {@code java.util}). The wrapped content is stored as a copy (an
 * {@code ArrayList}, {@code LinkedHashSet}, {@code LinkedHashMap}, {@code TreeSet} or {@code TreeMap}) and
 * wrapped again on read; the wrapper's identity with the collection it wrapped is not kept.
 */
final class WrapperSerializers {
    private WrapperSerializers() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void register(Kryo kryo) {
        List<Object> list = new ArrayList<>();
        List<Object> linked = new LinkedList<>();
        Set<Object> set = new LinkedHashSet<>();
        Map<Object, Object> map = new LinkedHashMap<>();
        TreeSet<Object> sorted = new TreeSet<>();
        TreeMap<Object, Object> sortedMap = new TreeMap<>();
        Function<Object, Object> toList = c -> new ArrayList<>((Collection) c);
        Function<Object, Object> toSet = c -> new LinkedHashSet<>((Collection) c);
        Function<Object, Object> toSorted = c -> new TreeSet<>((SortedSet) c);
        Function<Object, Object> toMap = m -> new LinkedHashMap<>((Map) m);
        Function<Object, Object> toSortedMap = m -> new TreeMap<>((SortedMap) m);

        add(kryo, Collections.unmodifiableCollection(list), toList, c -> Collections.unmodifiableCollection((Collection) c));
        add(kryo, Collections.unmodifiableList(list), toList, c -> Collections.unmodifiableList((List) c));
        add(kryo, Collections.unmodifiableList(linked), toList, c -> Collections.unmodifiableList(new LinkedList<>((List) c)));
        add(kryo, Collections.unmodifiableSet(set), toSet, c -> Collections.unmodifiableSet((Set) c));
        add(kryo, Collections.unmodifiableSortedSet(sorted), toSorted, c -> Collections.unmodifiableSortedSet((SortedSet) c));
        add(kryo, Collections.unmodifiableNavigableSet(sorted), toSorted, c -> Collections.unmodifiableNavigableSet((NavigableSet) c));
        add(kryo, Collections.unmodifiableMap(map), toMap, m -> Collections.unmodifiableMap((Map) m));
        add(kryo, Collections.unmodifiableSortedMap(sortedMap), toSortedMap, m -> Collections.unmodifiableSortedMap((SortedMap) m));
        add(kryo, Collections.unmodifiableNavigableMap(sortedMap), toSortedMap, m -> Collections.unmodifiableNavigableMap((NavigableMap) m));
        add(kryo, Collections.synchronizedCollection(list), toList, c -> Collections.synchronizedCollection((Collection) c));
        add(kryo, Collections.synchronizedList(list), toList, c -> Collections.synchronizedList((List) c));
        add(kryo, Collections.synchronizedList(linked), toList, c -> Collections.synchronizedList(new LinkedList<>((List) c)));
        add(kryo, Collections.synchronizedSet(set), toSet, c -> Collections.synchronizedSet((Set) c));
        add(kryo, Collections.synchronizedSortedSet(sorted), toSorted, c -> Collections.synchronizedSortedSet((SortedSet) c));
        add(kryo, Collections.synchronizedNavigableSet(sorted), toSorted, c -> Collections.synchronizedNavigableSet((NavigableSet) c));
        add(kryo, Collections.synchronizedMap(map), toMap, m -> Collections.synchronizedMap((Map) m));
        add(kryo, Collections.synchronizedSortedMap(sortedMap), toSortedMap, m -> Collections.synchronizedSortedMap((SortedMap) m));
        add(kryo, Collections.synchronizedNavigableMap(sortedMap), toSortedMap, m -> Collections.synchronizedNavigableMap((NavigableMap) m));
    }

    private static void add(Kryo kryo, Object sample, Function<Object, Object> copy, Function<Object, Object> wrap) {
        kryo.addDefaultSerializer(sample.getClass(), new Copying(copy, wrap));
    }

    /** Writes a copy of the wrapped content and wraps what it reads. */
    private static final class Copying extends Serializer<Object> {
        private final Function<Object, Object> copy;
        private final Function<Object, Object> wrap;

        Copying(Function<Object, Object> copy, Function<Object, Object> wrap) {
            this.copy = copy;
            this.wrap = wrap;
        }

        @Override
        public void write(Kryo kryo, Output output, Object object) {
            kryo.writeClassAndObject(output, copy.apply(object));
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            return wrap.apply(kryo.readClassAndObject(input));
        }
    }
}
