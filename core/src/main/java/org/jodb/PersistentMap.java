package org.jodb;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A map that is a persistent object of its own: it has its own record, and the objects holding it keep
 * only a reference (ZODB's {@code PersistentMapping}). Create it with {@code new}; it becomes persistent
 * when it is reachable from the root at a savepoint or commit. Iteration follows insertion order.
 *
 * <p>Reading methods load it when it is a ghost; changing methods and views (whose changes jodb cannot
 * see one by one) mark it touched, and the next savepoint or commit writes it if its content changed.
 * Keys and values are stored inside the map's record, except persistent objects, which are stored as
 * references.
 *
 * <h2>Concurrent changes</h2>
 * When two transactions change one map, the second commit is merged instead of failing with
 * {@link ConflictException} when the changes do not overlap: <b>resolved</b> are insertions,
 * replacements and removals of <em>different</em> keys, and the same change made by both; <b>not
 * resolved</b> (ConflictException, retry) are different changes to one key, keys that are persistent
 * objects, and values that cannot be compared (values are compared with {@code equals}, persistent objects
 * by identity, so a value class without {@code equals} counts as changed). The merged map keeps the
 * committed entries in their order and appends new keys. Only {@code PersistentMap} itself is merged: a
 * subclass, whose own fields are part of its state, always gets {@code ConflictException} for concurrent
 * changes.
 *
 * <p>Not thread-safe, like the connection it belongs to.
 *
 * @param <K> key type
 * @param <V> value type
 */
public class PersistentMap<K, V> extends PersistentContainer<LinkedHashMap<K, V>> implements Map<K, V> {
    private LinkedHashMap<K, V> map;

    public PersistentMap() {
        map = new LinkedHashMap<>();
    }

    public PersistentMap(Map<? extends K, ? extends V> content) {
        map = new LinkedHashMap<>(content);
    }

    @Override
    final LinkedHashMap<K, V> content() {
        return map;
    }

    @Override
    public int size() {
        return forRead().size();
    }

    @Override
    public boolean isEmpty() {
        return forRead().isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return forRead().containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return forRead().containsValue(value);
    }

    @Override
    public V get(Object key) {
        return forRead().get(key);
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        return forRead().getOrDefault(key, defaultValue);
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        forRead().forEach(action);
    }

    @Override
    public V put(K key, V value) {
        return forChange().put(key, value);
    }

    @Override
    public V remove(Object key) {
        return forChange().remove(key);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        forChange().putAll(m);
    }

    @Override
    public void clear() {
        forChange().clear();
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return forChange().putIfAbsent(key, value);
    }

    @Override
    public boolean remove(Object key, Object value) {
        return forChange().remove(key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return forChange().replace(key, oldValue, newValue);
    }

    @Override
    public V replace(K key, V value) {
        return forChange().replace(key, value);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> f) {
        return forChange().computeIfAbsent(key, f);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        return forChange().computeIfPresent(key, f);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        return forChange().compute(key, f);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> f) {
        return forChange().merge(key, value, f);
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) {
        forChange().replaceAll(f);
    }

    @Override
    public Set<K> keySet() {
        return forChange().keySet();
    }

    @Override
    public Collection<V> values() {
        return forChange().values();
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return forChange().entrySet();
    }
}
