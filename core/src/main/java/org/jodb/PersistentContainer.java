package org.jodb;

/**
 * What {@link PersistentMap} and {@link PersistentList} share: the two ways a container method reaches its
 * content. A reading method goes through {@link #forRead()}, which loads a
 * ghost without touching it (so reading writes nothing and costs no comparison at commit); a method that
 * may change the content, or hands out a view or iterator through which it could change, goes through
 * {@link #forChange()}, which touches it, and the next savepoint or commit compares its bytes. Equality,
 * hash code and text are the content's. ({@link PersistentMap} refines this: its views touch when they
 * are iterated or changed through, and a large map touches only the chunks an operation changes.)
 *
 * <p>It has no field of its own, so it adds nothing to the records of its subclasses. Not thread-safe.
 *
 * @param <C> the type of the content (the JDK collection that holds the elements)
 */
abstract class PersistentContainer<C> extends BuiltInPersistentObject {
    /** The content field itself, without loading or touching. */
    abstract C content();

    /** The content, loaded if this is a ghost; not touched. */
    final C forRead() {
        load();
        return content();
    }

    /** The content, loaded if this is a ghost and touched (the next savepoint or commit compares it). */
    final C forChange() {
        touch();
        return content();
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        return forRead().equals(o instanceof PersistentContainer<?> other ? other.forRead() : o);
    }

    @Override
    public int hashCode() {
        return forRead().hashCode();
    }

    @Override
    public String toString() {
        return forRead().toString();
    }
}
