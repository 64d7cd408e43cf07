package org.jodb.internal.serialization;

/**
 * A reference read from a record but not yet made an instance: the oid and the class of a persistent object
 * that was not in the connection's cache when the record was read. Only the values of a
 * {@link LazyMapValues} state's map are read this way, and its owner swaps each for the connection's instance
 * ({@link RecordContext#resolveReference}) before the value is handed out, so neither the application nor a
 * record ever sees one. Immutable.
 */
public final class LazyReference {
    private final long oid;
    private final Class<?> type;

    public LazyReference(long oid, Class<?> type) {
        this.oid = oid;
        this.type = type;
    }

    public long oid() {
        return oid;
    }

    /** The object's class, as the record named it. */
    public Class<?> type() {
        return type;
    }

    @Override
    public String toString() {
        return "LazyReference[oid " + oid + ", " + type.getName() + "]";
    }
}
