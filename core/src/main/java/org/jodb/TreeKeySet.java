package org.jodb;

import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SortedSet;

/**
 * The keys of a {@link TreeRange} as a {@code NavigableSet}: the whole of a {@link PersistentTreeSet} and
 * its views, and the {@code navigableKeySet()} of a {@link PersistentTreeMap} and its views. Writes
 * through; {@code add} only where the keys are a set's own ({@code addable}), as with {@code TreeMap}'s
 * key set. Not thread-safe, like the connection the tree belongs to.
 */
final class TreeKeySet<E> extends AbstractSet<E> implements NavigableSet<E> {
    private final TreeRange<E, ?> range;
    private final boolean addable;

    TreeKeySet(TreeRange<E, ?> range, boolean addable) {
        this.range = range;
        this.addable = addable;
    }

    @Override
    public Iterator<E> iterator() {
        return new TreeCursor.Keys<>(new TreeCursor(range));
    }

    @Override
    public Iterator<E> descendingIterator() {
        return descendingSet().iterator();
    }

    @Override
    public int size() {
        return range.size();
    }

    @Override
    public boolean isEmpty() {
        return range.isEmpty();
    }

    @Override
    public boolean contains(Object o) {
        return range.containsKey(o);
    }

    @Override
    public boolean add(E e) {
        if (!addable) {
            throw new UnsupportedOperationException("the keys of a map take no new keys: put them into the map");
        }
        return range.addKey(e);
    }

    @Override
    public boolean remove(Object o) {
        return range.removeKey(o);
    }

    @Override
    public void clear() {
        range.clear();
    }

    @Override
    public Comparator<? super E> comparator() {
        return range.comparator();
    }

    @Override
    public E first() {
        return range.firstKey();
    }

    @Override
    public E last() {
        return range.lastKey();
    }

    @Override
    public E lower(E e) {
        return range.lowerKey(e);
    }

    @Override
    public E floor(E e) {
        return range.floorKey(e);
    }

    @Override
    public E ceiling(E e) {
        return range.ceilingKey(e);
    }

    @Override
    public E higher(E e) {
        return range.higherKey(e);
    }

    @Override
    public E pollFirst() {
        Map.Entry<E, ?> e = range.pollFirstEntry();
        return e == null ? null : e.getKey();
    }

    @Override
    public E pollLast() {
        Map.Entry<E, ?> e = range.pollLastEntry();
        return e == null ? null : e.getKey();
    }

    @Override
    public NavigableSet<E> descendingSet() {
        return new TreeKeySet<>((TreeRange<E, ?>) range.descendingMap(), addable);
    }

    @Override
    public NavigableSet<E> subSet(E fromElement, boolean fromInclusive, E toElement, boolean toInclusive) {
        return new TreeKeySet<>((TreeRange<E, ?>) range.subMap(fromElement, fromInclusive, toElement, toInclusive),
                addable);
    }

    @Override
    public NavigableSet<E> headSet(E toElement, boolean inclusive) {
        return new TreeKeySet<>((TreeRange<E, ?>) range.headMap(toElement, inclusive), addable);
    }

    @Override
    public NavigableSet<E> tailSet(E fromElement, boolean inclusive) {
        return new TreeKeySet<>((TreeRange<E, ?>) range.tailMap(fromElement, inclusive), addable);
    }

    @Override
    public SortedSet<E> subSet(E fromElement, E toElement) {
        return subSet(fromElement, true, toElement, false);
    }

    @Override
    public SortedSet<E> headSet(E toElement) {
        return headSet(toElement, false);
    }

    @Override
    public SortedSet<E> tailSet(E fromElement) {
        return tailSet(fromElement, true);
    }
}
