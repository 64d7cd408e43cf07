package org.jodb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.RandomAccess;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A list that is a persistent object of its own (ZODB's {@code PersistentList}): it has its own record,
 * and the objects holding it keep only a reference. Create it with {@code new}; it becomes persistent when
 * it is reachable from the root at a savepoint or commit.
 *
 * <p>Reading methods load it when it is a ghost; changing methods, iterators and views mark it touched,
 * and the next savepoint or commit writes it if its content changed. {@code get} touches it too when the
 * element could be changed in place (a plain list or object; not a string, number, enum, {@code java.time}
 * value, record of such, or persistent object), so that {@code list.get(0).add(x)} is committed;
 * {@code forEach} never touches (see {@code core/LIMITATIONS.md}).
 *
 * <h2>Concurrent changes</h2>
 * Two transactions that change one list conflict ({@link ConflictException}, retry): positions make a
 * safe merge impossible. Keep data that many writers append to in a {@link PersistentMap} with distinct keys.
 *
 * <p>A subclass may add methods but no fields of its own (other than transient ones); see
 * {@link PersistentMap}'s "Subclasses".
 *
 * <p>Not thread-safe, like the connection it belongs to.
 *
 * @param <E> element type
 */
public class PersistentList<E> extends PersistentContainer<ArrayList<E>> implements List<E>, RandomAccess {
    private ArrayList<E> list;

    /** An empty list; it becomes persistent when it is reachable from the root at commit. */
    public PersistentList() {
        list = new ArrayList<>();
    }

    /** A list holding the elements of {@code content}, in its iteration order. */
    public PersistentList(Collection<? extends E> content) {
        list = new ArrayList<>(content);
    }

    @Override
    final ArrayList<E> content() {
        return list;
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
    public boolean contains(Object o) {
        return forRead().contains(o);
    }

    @Override
    public boolean containsAll(Collection<?> c) {
        return forRead().containsAll(c);
    }

    @Override
    public int indexOf(Object o) {
        return forRead().indexOf(o);
    }

    @Override
    public int lastIndexOf(Object o) {
        return forRead().lastIndexOf(o);
    }

    @Override
    public E get(int index) {
        E element = forRead().get(index);
        if (InPlaceChanges.possible(element)) {
            forChange(); // list.get(i).add(x): a change in place must be found at commit
        }
        return element;
    }

    @Override
    public Object[] toArray() {
        return forRead().toArray();
    }

    @Override
    public <T> T[] toArray(T[] a) {
        return forRead().toArray(a);
    }

    @Override
    public void forEach(Consumer<? super E> action) {
        forRead().forEach(action);
    }

    @Override
    public boolean add(E e) {
        return forChange().add(e);
    }

    @Override
    public void add(int index, E element) {
        forChange().add(index, element);
    }

    @Override
    public boolean remove(Object o) {
        return forChange().remove(o);
    }

    @Override
    public E remove(int index) {
        return forChange().remove(index);
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        return forChange().addAll(c);
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        return forChange().addAll(index, c);
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        return forChange().removeAll(c);
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        return forChange().retainAll(c);
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return forChange().removeIf(filter);
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        forChange().replaceAll(operator);
    }

    @Override
    public void sort(Comparator<? super E> c) {
        forChange().sort(c);
    }

    @Override
    public void clear() {
        forChange().clear();
    }

    @Override
    public E set(int index, E element) {
        return forChange().set(index, element);
    }

    @Override
    public Iterator<E> iterator() {
        return forChange().iterator();
    }

    @Override
    public ListIterator<E> listIterator() {
        return forChange().listIterator();
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        return forChange().listIterator(index);
    }

    @Override
    public List<E> subList(int fromIndex, int toIndex) {
        return forChange().subList(fromIndex, toIndex);
    }

    @Override
    public Spliterator<E> spliterator() {
        return forChange().spliterator();
    }
}
