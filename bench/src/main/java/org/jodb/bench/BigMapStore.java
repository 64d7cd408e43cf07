package org.jodb.bench;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * One store under test in the big-map workloads (6: cold random gets, 7: range scans): a map of
 * {@link BigMapKeys#key} strings to {@link BigMapKeys#value} longs under the store's root.
 *
 * <p>Life cycle: {@link #create} on an empty directory, {@link #putAll} batches, {@link #close}; then, once
 * per round and workload, {@link #open} (a cold open: a new store object, nothing cached in the JVM), reads,
 * {@link #close}. One thread uses an adapter.
 *
 * <p>A store that cannot scan says why in {@link #cannotScan()}, and the table prints the reason instead of a
 * figure. {@link #recordsLoaded()} is how a store with transfer counts shows what a lookup costs: the jodb
 * adapter will answer it once {@code Connection.transferCounts()} exists (see {@link JodbBigMapStore}); the peers
 * have no such count and answer empty.
 */
interface BigMapStore {

    /** The short name used on the command line and in the tables. */
    String name();

    /** The product and version measured, e.g. {@code "H2 MVStore 2.5.252"}. */
    String product();

    /** How the map is kept and read, for the notes under the table. */
    String describe();

    /** Why this store cannot do range scans (workload 7), or {@code null} when it can. */
    String cannotScan();

    /** Creates an empty map in the empty directory {@code dir} and keeps the store open. */
    void create(Path dir);

    /** Puts entries {@code from .. from + count - 1} and commits them as one transaction. */
    void putAll(int from, int count);

    /** Opens the store in {@code dir} that {@link #create} made, with nothing of it in memory yet. */
    void open(Path dir);

    /** The value under {@code key}, or {@code null} when the map has none. */
    Long get(String key);

    /**
     * Hands {@code sink} every entry with {@code fromInclusive <= key < toExclusive}, in ascending key order
     * (a {@code subMap} walk).
     *
     * @throws UnsupportedOperationException when {@link #cannotScan()} gives a reason
     */
    void scan(String fromInclusive, String toExclusive, ScanSink sink);

    /**
     * How many records the store has loaded from its storage since {@link #open}, when it counts them; empty
     * when it does not.
     */
    default OptionalLong recordsLoaded() {
        return OptionalLong.empty();
    }

    /** Closes the store; the files stay. Does nothing when it is not open. */
    void close();

    /** Receives the entries of a scan. */
    @FunctionalInterface
    interface ScanSink {
        void accept(String key, long value);
    }
}
