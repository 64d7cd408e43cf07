package org.jodb.spi;

import java.util.function.LongConsumer;

/**
 * Reports the oids a record refers to; the storage uses it for garbage collection in {@link Storage#pack}
 * without understanding the record (like ZODB's {@code referencesf}).
 */
@FunctionalInterface
public interface ReferenceFinder {
    void references(byte[] record, LongConsumer oids);
}
