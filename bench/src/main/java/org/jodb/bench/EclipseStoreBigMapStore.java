package org.jodb.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.eclipse.serializer.collections.lazy.LazyHashMap;
import org.eclipse.store.storage.embedded.types.EmbeddedStorage;
import org.eclipse.store.storage.embedded.types.EmbeddedStorageManager;

/**
 * EclipseStore with its default embedded configuration (its only mode: commits reach the OS page cache, never
 * forced), the map being the storage root, stored after each batch with {@code store(map)}.
 *
 * <p>Two variants, for the two ways its users keep a large map:
 * <ul>
 *   <li>{@link #treeMap()}: a {@code java.util.TreeMap}. EclipseStore loads the root's whole object graph when
 *       it starts, so the open reads every entry and the gets then touch memory only; storing the map writes
 *       all its entry references again, every batch. Sorted, so it scans with {@code subMap}.</li>
 *   <li>{@link #lazyHashMap()}: its {@link LazyHashMap}, whose segments are lazy references loaded on first
 *       access (the collection its documentation offers for maps too large to load whole). Unordered, so it
 *       cannot scan a key range.</li>
 * </ul>
 */
final class EclipseStoreBigMapStore implements BigMapStore {
    /** How EclipseStore 2.1.3 names the threads of its storage channels and of its lazy reference manager. */
    private static final List<String> STORAGE_THREAD_PREFIXES =
            List.of("Eclipse Serializer-StorageChannel", "LazyReferenceManager");
    private static final long STORAGE_THREAD_WAIT_MILLIS = 30_000;

    private final String name;
    private final String description;
    private final Supplier<Map<String, Long>> newMap;
    private final boolean sorted;

    private EmbeddedStorageManager storage;
    private Map<String, Long> map;

    private EclipseStoreBigMapStore(String name, String description, Supplier<Map<String, Long>> newMap,
            boolean sorted) {
        this.name = name;
        this.description = description;
        this.newMap = newMap;
        this.sorted = sorted;
    }

    static EclipseStoreBigMapStore treeMap() {
        return new EclipseStoreBigMapStore("eclipsestore", "`TreeMap<String, Long>` as the root: the open loads"
                + " it whole", TreeMap::new, true);
    }

    static EclipseStoreBigMapStore lazyHashMap() {
        return new EclipseStoreBigMapStore("eclipsestore-lazy", "`LazyHashMap<String, Long>` as the root: its"
                + " segments load on first access", LazyHashMap::new, false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String product() {
        return "EclipseStore " + Versions.of("eclipsestore");
    }

    @Override
    public String describe() {
        return description + "; default `EmbeddedStorage.start(dir)`; `store(map)` after each batch";
    }

    @Override
    public String cannotScan() {
        return sorted ? null : "LazyHashMap is unordered: no subMap";
    }

    @Override
    public void create(Path dir) {
        storage = EmbeddedStorage.start(dir);
        storage.setRoot(newMap.get());
        storage.storeRoot();
        map = rootMap();
    }

    @Override
    public void putAll(int from, int count) {
        for (int i = from; i < from + count; i++) {
            map.put(BigMapKeys.key(i), BigMapKeys.value(i));
        }
        storage.store(map);
    }

    @Override
    public void open(Path dir) {
        storage = EmbeddedStorage.start(dir);
        map = rootMap();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Long> rootMap() {
        Object root = storage.root();
        if (!(root instanceof Map)) {
            throw new IllegalStateException("the storage root is " + root + ", not the map " + name + "'s create"
                    + " stored");
        }
        return (Map<String, Long>) root;
    }

    @Override
    public Long get(String key) {
        return map.get(key);
    }

    @Override
    public void scan(String fromInclusive, String toExclusive, ScanSink sink) {
        if (!sorted) {
            throw new UnsupportedOperationException(cannotScan());
        }
        ((NavigableMap<String, Long>) map).subMap(fromInclusive, true, toExclusive, false).forEach(sink::accept);
    }

    @Override
    public void close() {
        if (storage != null) {
            storage.shutdown();
            storage = null;
            map = null;
            awaitStorageThreads();
        }
    }

    /**
     * Waits for the storage's threads to end. {@code shutdown()} returns before its channel threads and its lazy
     * reference manager's thread have, and until they do they keep the storage and every object it loaded
     * reachable (up to 250 MiB for a second or more here): that memory, freed while the next store is measured,
     * would be subtracted from the next store's heap.
     */
    private static void awaitStorageThreads() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (STORAGE_THREAD_PREFIXES.stream().anyMatch(thread.getName()::startsWith)) {
                try {
                    thread.join(STORAGE_THREAD_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
