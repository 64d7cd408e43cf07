package org.jodb.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.PersistentTreeMap;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.transaction.TransactionManager;

/**
 * jodb on its memory-mapped file storage in deferred mode (the mode its peers run in here): the map is a
 * persistent map under the root, filled in transactions of one batch each and read by a connection of its
 * own after a fresh {@link Database#open}, so nothing of it is in the JVM before the first read.
 *
 * <p>Which map is measured is the constructor's argument: {@link #persistentMap()} is today's
 * {@link PersistentMap}, insertion-ordered, which cannot scan a key range; {@link #persistentTreeMap()} is a
 * {@link PersistentTreeMap}, whose key ranges are scanned with {@code subMap}.
 *
 * <p>Records loaded: {@link #recordsLoaded()} is the connection's count of records loaded
 * ({@code Connection.transferCounts()}); the benchmark takes the difference around the first get and around
 * the random gets.
 */
final class JodbBigMapStore implements BigMapStore {
    private static final String ROOT_KEY = "bigmap";

    private final String name;
    private final String description;
    private final Supplier<Map<String, Long>> newMap;
    private final boolean sorted;

    private Database db;
    private TransactionManager manager;
    private Connection conn;
    private Map<String, Long> map;

    /**
     * @param name        the store's name on the command line and in the tables
     * @param description what map this is, for the notes under the table
     * @param newMap      makes the empty persistent map that {@link #create} puts under the root
     */
    JodbBigMapStore(String name, String description, Supplier<Map<String, Long>> newMap) {
        this.name = name;
        this.description = description;
        this.newMap = newMap;
        this.sorted = newMap.get() instanceof NavigableMap;
    }

    /** A {@link PersistentTreeMap} at the root: a B-tree whose buckets and branches load on demand. */
    static JodbBigMapStore persistentTreeMap() {
        return new JodbBigMapStore("jodb-tree", "`PersistentTreeMap<String, Long>` under the root (buckets of 64"
                + " entries and branches of 256 children, loaded on demand)", PersistentTreeMap::new);
    }

    /** A {@link PersistentMap} at the root. */
    static JodbBigMapStore persistentMap() {
        return new JodbBigMapStore("jodb", "`PersistentMap<String, Long>` under the root (insertion-ordered chunks"
                + " above 1,024 entries)", PersistentMap::new);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String product() {
        return "jodb " + Versions.of("jodb");
    }

    @Override
    public String describe() {
        return description + "; `MappedFileStorage`, `Durability.DEFERRED`; each open is a new `Database`";
    }

    @Override
    public String cannotScan() {
        return sorted ? null : "PersistentMap is insertion-ordered: no subMap";
    }

    @Override
    public void create(Path dir) {
        openDatabase(dir);
        conn.root().put(ROOT_KEY, newMap.get());
        manager.commit();
        map = rootMap();
    }

    @Override
    public void putAll(int from, int count) {
        for (int i = from; i < from + count; i++) {
            map.put(BigMapKeys.key(i), BigMapKeys.value(i));
        }
        manager.commit();
    }

    @Override
    public void open(Path dir) {
        openDatabase(dir);
        map = rootMap();
    }

    private void openDatabase(Path dir) {
        db = Database.open(MappedFileStorage.open(dir, StorageOptions.builder()
                .durability(StorageOptions.Durability.DEFERRED).build()));
        manager = new TransactionManager(false);
        conn = db.open(manager);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Long> rootMap() {
        Object m = conn.root().get(ROOT_KEY);
        if (m == null) {
            throw new IllegalStateException("no map under the root key '" + ROOT_KEY + "': the directory was not"
                    + " made by " + name + "'s create");
        }
        return (Map<String, Long>) m;
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
        ((NavigableMap<String, Long>) map).subMap(fromInclusive, true, toExclusive, false)
                .forEach(sink::accept);
    }

    @Override
    public OptionalLong recordsLoaded() {
        return OptionalLong.of(conn.transferCounts().loads());
    }

    @Override
    public void close() {
        if (db != null) {
            manager.abort();
            conn.close();
            db.close();
            db = null;
            map = null;
        }
    }
}
