package org.jodb.bench;

import java.util.List;

/**
 * Makes the big-map adapter for a store name.
 *
 * <p>Adding jodb's sorted tree once {@code org.jodb.PersistentTreeMap} exists: add {@code "jodb-tree"} to
 * {@link #ALL} and the case {@code case "jodb-tree" -> new JodbBigMapStore("jodb-tree", "PersistentTreeMap<String,
 * Long> under the root (buckets loaded on demand)", PersistentTreeMap::new);}. It is a {@code NavigableMap}, so
 * the adapter scans it with {@code subMap} and workload 7 measures it.
 */
final class BigMapStores {
    /** Every store, in the order of the table's columns. */
    static final List<String> ALL = List.of("jodb", "mvstore", "mapdb", "eclipsestore", "eclipsestore-lazy");

    private BigMapStores() {
    }

    static BigMapStore create(String name) {
        return switch (name) {
            case "jodb" -> JodbBigMapStore.persistentMap();
            case "mvstore" -> new MvStoreBigMapStore();
            case "mapdb" -> new MapDbBigMapStore();
            case "eclipsestore" -> EclipseStoreBigMapStore.treeMap();
            case "eclipsestore-lazy" -> EclipseStoreBigMapStore.lazyHashMap();
            default -> throw new IllegalArgumentException("unknown store '" + name + "': use "
                    + String.join(",", ALL));
        };
    }
}
