package org.jodb.spi;

import java.util.function.LongConsumer;

/**
 * Reports the oids a record refers to; the storage uses it for garbage collection in {@link Storage#pack}
 * without understanding the record (like ZODB's {@code referencesf}).
 */
@FunctionalInterface
public interface ReferenceFinder {
    /** Passes to {@code oids} every oid that {@code record} refers to (repeats allowed). */
    void references(byte[] record, LongConsumer oids);

    /**
     * Whether the storage must keep {@code record} through {@link Storage#pack} even when no live record
     * refers to it; pack treats such records as further roots. jodb pins the entries of its class
     * registry: records written later may name them, also while a pack runs.
     */
    default boolean pinned(byte[] record) {
        return false;
    }
}
