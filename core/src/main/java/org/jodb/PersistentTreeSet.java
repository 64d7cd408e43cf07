package org.jodb;

import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.SortedSet;

/**
 * A sorted set for large data: the persistent B-tree of {@link PersistentTreeMap} with keys and no values
 * (ZODB's {@code OOTreeSet}). Everything said there holds here: created with {@code new}, persistent by
 * reachability; {@code contains}, {@code add}, {@code remove}, {@code ceiling} and friends load the nodes
 * on one path; {@code size()} loads one counter record; iteration and the {@code subSet}, {@code headSet},
 * {@code tailSet} and {@code descendingSet} views walk the buckets in order, one load per bucket; two
 * transactions that add or remove different elements, also of one bucket, both commit; the comparator
 * must be storable. Equality, hash code and text are those of {@code java.util} sets. Not thread-safe,
 * like the connection it belongs to.
 *
 * @param <E> element type
 */
public final class PersistentTreeSet<E> extends PersistentTree implements NavigableSet<E> {

    /** An empty set in the elements' natural order. */
    public PersistentTreeSet() {
        this((Comparator<? super E>) null);
    }

    /**
     * An empty set in the order of {@code comparator} (null: natural order).
     *
     * @throws IllegalArgumentException when the comparator cannot be stored (see {@link PersistentTreeMap})
     */
    public PersistentTreeSet(Comparator<? super E> comparator) {
        this(comparator, BUCKET_CAPACITY, BRANCH_CAPACITY);
    }

    /** A set in natural order holding the elements of {@code content}; a {@code SortedSet}'s comparator too. */
    @SuppressWarnings("unchecked")
    public PersistentTreeSet(Collection<? extends E> content) {
        this(content instanceof SortedSet<?> s ? (Comparator<? super E>) s.comparator() : null);
        addAll(content);
    }

    /** For tests: small nodes, to see splits and removals at every level with few elements. */
    PersistentTreeSet(Comparator<? super E> comparator, int bucketCapacity, int branchCapacity) {
        super(comparator, false, bucketCapacity, branchCapacity);
    }

    private TreeKeySet<E> all() {
        return new TreeKeySet<>(new TreeRange<E, Object>(this), true);
    }

    @Override
    public boolean contains(Object o) {
        return find(o) != null;
    }

    @Override
    public boolean add(E e) {
        return insert(e, null, false) == ABSENT;
    }

    @Override
    public boolean remove(Object o) {
        return delete(o) != ABSENT;
    }

    /** Removes every element; loads and rewrites every node, so that a concurrent change anywhere conflicts. */
    @Override
    public void clear() {
        clearTree();
    }

    @Override
    public Iterator<E> iterator() {
        return all().iterator();
    }

    @Override
    public Iterator<E> descendingIterator() {
        return all().descendingIterator();
    }

    @Override
    public Object[] toArray() {
        return all().toArray();
    }

    @Override
    public <T> T[] toArray(T[] a) {
        return all().toArray(a);
    }

    @Override
    public boolean containsAll(Collection<?> c) {
        for (Object o : c) {
            if (!contains(o)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        boolean changed = false;
        for (E e : c) {
            changed |= add(e);
        }
        return changed;
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        return all().retainAll(c);
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        return all().removeAll(c);
    }

    @Override
    public Comparator<? super E> comparator() {
        return all().comparator();
    }

    @Override
    public E first() {
        return all().first();
    }

    @Override
    public E last() {
        return all().last();
    }

    @Override
    public E lower(E e) {
        return all().lower(e);
    }

    @Override
    public E floor(E e) {
        return all().floor(e);
    }

    @Override
    public E ceiling(E e) {
        return all().ceiling(e);
    }

    @Override
    public E higher(E e) {
        return all().higher(e);
    }

    @Override
    public E pollFirst() {
        return all().pollFirst();
    }

    @Override
    public E pollLast() {
        return all().pollLast();
    }

    @Override
    public NavigableSet<E> descendingSet() {
        return all().descendingSet();
    }

    @Override
    public NavigableSet<E> subSet(E fromElement, boolean fromInclusive, E toElement, boolean toInclusive) {
        return all().subSet(fromElement, fromInclusive, toElement, toInclusive);
    }

    @Override
    public NavigableSet<E> headSet(E toElement, boolean inclusive) {
        return all().headSet(toElement, inclusive);
    }

    @Override
    public NavigableSet<E> tailSet(E fromElement, boolean inclusive) {
        return all().tailSet(fromElement, inclusive);
    }

    @Override
    public SortedSet<E> subSet(E fromElement, E toElement) {
        return all().subSet(fromElement, toElement);
    }

    @Override
    public SortedSet<E> headSet(E toElement) {
        return all().headSet(toElement);
    }

    @Override
    public SortedSet<E> tailSet(E fromElement) {
        return all().tailSet(fromElement);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || all().equals(o);
    }

    @Override
    public int hashCode() {
        return all().hashCode();
    }

    @Override
    public String toString() {
        return all().toString();
    }
}
