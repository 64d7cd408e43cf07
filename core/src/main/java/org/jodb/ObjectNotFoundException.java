package org.jodb;

/**
 * No object with the oid asked for exists in the connection's snapshot (never stored, removed by pack, or
 * created by a transaction this connection cannot see yet). Remedy: check the oid; to see newer commits,
 * start a new transaction (or call {@code Connection.sync()}).
 *
 * <p>Immutable and thread-safe, like every jodb exception: it may be handed to another thread.
 */
public class ObjectNotFoundException extends RuntimeException {
    private final long oid;

    /** Object {@code oid} was not found; {@code message} says where it was looked for and what to do. */
    public ObjectNotFoundException(long oid, String message) {
        super(message);
        this.oid = oid;
    }

    /** The oid that was not found. */
    public long oid() {
        return oid;
    }
}
