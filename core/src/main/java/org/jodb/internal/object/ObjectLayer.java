package org.jodb.internal.object;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.jodb.internal.serialization.ClassNames;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.TypeRegistry;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Storage;
import org.jodb.transaction.Transaction;

/**
 * What every connection of one database shares: the storage, the record codec with its registry, the
 * proxies, and the settings. Thread-safe.
 */
public final class ObjectLayer {
    final Storage storage;
    final Proxies proxies = new Proxies();
    final TypeRegistry registry = new TypeRegistry();
    final ObjectRecordCodec codec;
    /** What the connections count for the database's statistics. */
    final DatabaseCounters counters = new DatabaseCounters();
    /** What one connection decoded of a large map's chunk or a tree's node, and the others read. */
    final SharedRevisions shared = new SharedRevisions();
    /** Loaded objects each connection's cache keeps (ZODB's cache_size). */
    final int cacheSize;
    /** Estimated bytes of loaded objects each connection's cache keeps; 0 for no byte target (ZODB's cache_size_bytes). */
    final long cacheSizeBytes;
    /** Bytes a transaction's savepoint data keeps on the heap before spilling to a temporary file. */
    final long spillThreshold;
    /**
     * The session (its data manager) that has a storage transaction open, for each transaction being committed and storage.
     * One per pair: a storage commits one transaction at a time per thread (a second vote on the thread
     * that holds the commit lock would be let through by a reentrant lock, sharing a tid, or wait forever).
     * Static: two databases may be opened on one storage object.
     */
    static final Map<Writing, SessionDataManager> WRITERS = new ConcurrentHashMap<>();

    /** A transaction writing to a storage (both compared by identity: neither overrides equals). */
    record Writing(Transaction transaction, Storage storage) {
    }

    public ObjectLayer(Storage storage, int cacheSize, long cacheSizeBytes, long spillThreshold,
            Map<String, String> renames) {
        this.storage = Objects.requireNonNull(storage, "storage");
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize < 0: " + cacheSize);
        }
        if (cacheSizeBytes < 0) {
            throw new IllegalArgumentException("cacheSizeBytes < 0: " + cacheSizeBytes);
        }
        if (spillThreshold < 0) {
            throw new IllegalArgumentException("spillThreshold < 0: " + spillThreshold);
        }
        this.cacheSize = cacheSize;
        this.cacheSizeBytes = cacheSizeBytes;
        this.spillThreshold = spillThreshold;
        this.codec = new ObjectRecordCodec(proxies, new ClassNames(renames));
    }

    public Storage storage() {
        return storage;
    }

    /** What the connections of this database counted so far. */
    public DatabaseCounters counters() {
        return counters;
    }

    /** The oids a record refers to, for {@link Storage#pack}. */
    public ReferenceFinder referenceFinder() {
        return new ReferenceFinder() {
            @Override
            public void references(byte[] record, LongConsumer oids) {
                ObjectRecordCodec.references(record, oids);
            }

            @Override
            public boolean pinned(byte[] record) {
                // the type registry hands out entry ids for the life of the database: never drop one
                return ObjectRecordCodec.isEntryRecord(record);
            }
        };
    }

    /** Creates the root (an empty map) if the storage has none: "initial database creation". */
    public void initialize(Object emptyRoot) {
        RootInitializer.initialize(this, emptyRoot);
    }
}
