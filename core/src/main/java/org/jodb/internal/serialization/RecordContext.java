package org.jodb.internal.serialization;

/**
 * What {@link ObjectRecordCodec} needs from the connection it reads or writes for: the database's registry of
 * names, and the identity of persistent objects. One context serves one thread at a time.
 */
public interface RecordContext {

    /**
     * The id of a registry entry (a class name or a field layout, see {@link ObjectRecordCodec}); a new entry
     * gets an id now and is stored with the transaction being written.
     */
    long entryId(String entry);

    /**
     * The entry with {@code id}, as stored.
     *
     * @throws org.jodb.spi.StorageException or a subclass when the id is unknown to the database
     */
    String entry(long id);

    /**
     * The oid under which {@code persistent} (a persistent object referenced from the state being
     * written) is stored; an object without one gets an oid now and is written in the same transaction
     * (persistence by reachability).
     *
     * @throws IllegalStateException when the object belongs to another connection or database
     */
    long referenceOid(Object persistent);

    /**
     * The instance for a reference read from a record: the one already in the connection's cache, or a
     * new ghost of {@code type}.
     */
    Object resolveReference(long oid, Class<?> type);

    /**
     * Like {@link #resolveReference}, for a value of a {@link LazyMapValues} state's map: an instance, or a
     * {@link LazyReference} the state's owner resolves when the value is asked for (a connection's context always
     * gives the reference). By default the same as {@link #resolveReference}.
     */
    default Object lazyReference(long oid, Class<?> type) {
        return resolveReference(oid, type);
    }
}
