package org.jodb.bench;

import java.nio.file.Path;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * MapDB 3 with its write-ahead log and memory-mapped files, as in the peer comparison's deferred mode
 * ({@code fileSyncDisable()}), and a {@link BTreeMap} of String to Long: its nodes are read from the mapped
 * file and deserialized on every access (no object cache by default), so its heap stays small whatever the
 * map's size. Scans walk a {@code subMap}.
 */
final class MapDbBigMapStore implements BigMapStore {
    private static final String FILE = "bigmap.mapdb";

    private DB db;
    private BTreeMap<String, Long> map;

    @Override
    public String name() {
        return "mapdb";
    }

    @Override
    public String product() {
        return "MapDB " + Versions.of("mapdb");
    }

    @Override
    public String describe() {
        return "`treeMap(STRING, LONG)` (a `BTreeMap`); `fileDB(…).transactionEnable().fileMmapEnableIfSupported()"
                + ".fileSyncDisable()`; `commit()` after each batch";
    }

    @Override
    public String cannotScan() {
        return null;
    }

    @Override
    public void create(Path dir) {
        open(dir);
    }

    @Override
    public void putAll(int from, int count) {
        for (int i = from; i < from + count; i++) {
            map.put(BigMapKeys.key(i), BigMapKeys.value(i));
        }
        db.commit();
    }

    @Override
    public void open(Path dir) {
        db = DBMaker.fileDB(dir.resolve(FILE).toFile())
                .transactionEnable()
                .fileMmapEnableIfSupported()
                .fileSyncDisable()
                .make();
        map = db.treeMap("bigmap", Serializer.STRING, Serializer.LONG).createOrOpen();
    }

    @Override
    public Long get(String key) {
        return map.get(key);
    }

    @Override
    public void scan(String fromInclusive, String toExclusive, ScanSink sink) {
        map.subMap(fromInclusive, true, toExclusive, false).forEach(sink::accept);
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
            db = null;
            map = null;
        }
    }
}
