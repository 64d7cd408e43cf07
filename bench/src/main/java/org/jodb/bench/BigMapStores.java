package org.jodb.bench;

import java.util.List;

/**
 * Makes the big-map adapter for a store name.
 * {@code jodb} is a {@code PersistentMap}, {@code jodb-tree} a {@code PersistentTreeMap}: a
 * {@code NavigableMap}, so the adapter scans it with {@code subMap} and workload 7 measures it.
 */
final class BigMapStores {
    /** Every store, in the order of the table's columns. */
    static final List<String> ALL = List.of("jodb", "jodb-tree", "mvstore", "mapdb", "eclipsestore", "eclipsestore-lazy");

    private BigMapStores() {
    }

    static BigMapStore create(String name) {
        return switch (name) {
            case "jodb" -> JodbBigMapStore.persistentMap();
            case "jodb-tree" -> JodbBigMapStore.persistentTreeMap();
            case "mvstore" -> new MvStoreBigMapStore();
            case "mapdb" -> new MapDbBigMapStore();
            case "eclipsestore" -> EclipseStoreBigMapStore.treeMap();
            case "eclipsestore-lazy" -> EclipseStoreBigMapStore.lazyHashMap();
            default -> throw new IllegalArgumentException("unknown store '" + name + "': use "
                    + String.join(",", ALL));
        };
    }
}
