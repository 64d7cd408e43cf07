package org.jodb.internal.serialization;

/**
 * A persistent state with one map field (a large map's chunk) whose values are read as {@link LazyReference}s
 * when they are persistent objects ({@link RecordContext#lazyReference}): a lookup by key then makes one
 * instance, where reading every value as an instance made hundreds of ghosts per record that most transactions
 * never touch, each kept in the connection's cache and looked at by every invalidation; and the entries, holding
 * no connection's instance, can be shared by the database's connections. Only the map's own values are lazy: keys, and references inside a value (a list of persistent
 * objects), are instances as always. The owner must resolve a lazy value before handing it out and every
 * value before the map is changed or written.
 */
public interface LazyMapValues {

    /** The state's fields were just read from a record: its map may hold lazy values now. */
    void valuesRead();

    /** Makes every lazy value of the map an instance: {@code ObjectRecordCodec.write} calls it first. */
    void resolveLazyValues();
}
