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
import org.jodb.object.ObjectState;
import org.jodb.object.PersistentObject;

/**
 * A list that is a persistent object of its own (ZODB's {@code PersistentList}): it has its own record,
 * and the objects holding it keep only a reference. Create it with {@code new}; it becomes persistent when
 * it is reachable from the root at a savepoint or commit.
 *
 * <p>Reading methods load it when it is a ghost; changing methods, iterators and views mark it touched,
 * and the next savepoint or commit writes it if its content changed.
 *
 * <h2>Concurrent changes</h2>
 * Two transactions that change one list conflict ({@link ConflictException}, retry): positions make a
 * safe merge impossible. Keep data that many writers append to in a {@link PersistentMap} with distinct keys.
 *
 * <p>Not thread-safe, like the connection it belongs to.
 *
 * @param <E> element type
 */
public class PersistentList<E> implements List<E>, RandomAccess, PersistentObject {
    private ArrayList<E> list;
    private transient ObjectState $jodbState;

    public PersistentList() {
        list = new ArrayList<>();
    }

    public PersistentList(Collection<? extends E> content) {
        list = new ArrayList<>(content);
    }

    @Override
    public final ObjectState $jodbState() {
        return $jodbState;
    }

    @Override
    public final void $jodbState(ObjectState state) {
        this.$jodbState = state;
    }

    private ArrayList<E> read() {
        ObjectState s = $jodbState;
        if (s != null) {
            s.beforeRead();
        }
        return list;
    }

    private ArrayList<E> change() {
        ObjectState s = $jodbState;
        if (s != null) {
            s.beforeCall();
        }
        return list;
    }

    @Override
    public int size() {
        return read().size();
    }

    @Override
    public boolean isEmpty() {
        return read().isEmpty();
    }

    @Override
    public boolean contains(Object o) {
        return read().contains(o);
    }

    @Override
    public boolean containsAll(Collection<?> c) {
        return read().containsAll(c);
    }

    @Override
    public int indexOf(Object o) {
        return read().indexOf(o);
    }

    @Override
    public int lastIndexOf(Object o) {
        return read().lastIndexOf(o);
    }

    @Override
    public E get(int index) {
        return read().get(index);
    }

    @Override
    public Object[] toArray() {
        return read().toArray();
    }

    @Override
    public <T> T[] toArray(T[] a) {
        return read().toArray(a);
    }

    @Override
    public void forEach(Consumer<? super E> action) {
        read().forEach(action);
    }

    @Override
    public boolean add(E e) {
        return change().add(e);
    }

    @Override
    public void add(int index, E element) {
        change().add(index, element);
    }

    @Override
    public boolean remove(Object o) {
        return change().remove(o);
    }

    @Override
    public E remove(int index) {
        return change().remove(index);
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        return change().addAll(c);
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        return change().addAll(index, c);
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        return change().removeAll(c);
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        return change().retainAll(c);
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return change().removeIf(filter);
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        change().replaceAll(operator);
    }

    @Override
    public void sort(Comparator<? super E> c) {
        change().sort(c);
    }

    @Override
    public void clear() {
        change().clear();
    }

    @Override
    public E set(int index, E element) {
        return change().set(index, element);
    }

    @Override
    public Iterator<E> iterator() {
        return change().iterator();
    }

    @Override
    public ListIterator<E> listIterator() {
        return change().listIterator();
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        return change().listIterator(index);
    }

    @Override
    public List<E> subList(int fromIndex, int toIndex) {
        return change().subList(fromIndex, toIndex);
    }

    @Override
    public Spliterator<E> spliterator() {
        return change().spliterator();
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof PersistentList<?> other) {
            return read().equals(other.read());
        }
        return read().equals(o);
    }

    @Override
    public int hashCode() {
        return read().hashCode();
    }

    @Override
    public String toString() {
        return read().toString();
    }
}
