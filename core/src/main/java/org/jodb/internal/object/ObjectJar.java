package org.jodb.internal.object;

/**
 * The connection side of {@link ObjectState}: what an object asks of the connection that owns it.
 * Calls come from the thread using the connection; {@link ObjectState} refuses the others.
 */
interface ObjectJar {

    /**
     * The thread the connection serves now, whose calls go straight on; null if none. Read before every method
     * of every object, so a field read or two: a call from any other thread asks {@link #checkCaller}.
     */
    default Thread thread() {
        return null;
    }

    /**
     * A method of {@code state}'s object (or a load, or a change) was called on a thread other than
     * {@link #thread()}: throws, naming both threads and the remedy, if the caller is not the thread the
     * connection serves now (unless that thread has ended).
     *
     * @throws IllegalStateException to refuse the call
     */
    default void checkCaller(ObjectState state) {
    }

    /**
     * A method is about to run on an object that is {@link ObjectStatus#GHOST} or {@link ObjectStatus#CLEAN}:
     * load its state if it is a ghost, then mark it touched (joining the current transaction).
     *
     * @throws IllegalStateException when the connection is closed
     */
    void beforeFirstCall(ObjectState state);

    /**
     * Like {@link #beforeFirstCall}, for a method known to change the object (a container's mutator,
     * {@code Persistence.markChanged}): where a call could only read (a failed transaction not yet
     * aborted), a write is refused instead.
     */
    default void beforeFirstWrite(ObjectState state) {
        beforeFirstCall(state);
    }

    /**
     * Load the state of a ghost, or mark a loaded object recently used, without marking it touched
     * (read-only container methods).
     */
    void activate(ObjectState state);

    /**
     * A hint from a container about to hand out {@code objects} (a tree's iteration reaching a bucket): load
     * those that are ghosts of this connection in one storage call. Never fails: a failure leaves them ghosts.
     */
    default void prefetchHint(Iterable<?> objects) {
    }

    /**
     * Whether this connection's loads each cost a round trip ({@code Storage.loadsAreRemote}): then a container
     * prefetches what it is about to hand out even when the caller may not read all of it.
     */
    default boolean loadsAreRemote() {
        return false;
    }

    /** A short description for messages. */
    String describe();

    /**
     * The instance for a reference that a record of this connection's object named (a lazy map value): the
     * cached one, or a new ghost of {@code type}.
     */
    default Object resolveReference(long oid, Class<?> type) {
        throw new UnsupportedOperationException("this connection does not resolve references");
    }
}
