package org.jodb.bench;

import java.nio.file.Path;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * H2's MVStore in its default (deferred) mode with a plain {@link MVMap} of String to Long: a copy-on-write
 * B-tree whose pages load on demand into MVStore's page cache (16 MB by default). The map is read without a
 * {@code TransactionStore}: the reads here need no isolation, and a plain map is what the data structure
 * costs. Scans walk a {@link Cursor} over the key range.
 */
final class MvStoreBigMapStore implements BigMapStore {
    private static final String MAP = "bigmap";
    private static final String FILE = "bigmap.mv.db";

    private MVStore store;
    private MVMap<String, Long> map;

    @Override
    public String name() {
        return "mvstore";
    }

    @Override
    public String product() {
        return "H2 MVStore " + Versions.of("h2");
    }

    @Override
    public String describe() {
        return "`MVMap<String, Long>` with `StringDataType`/`LongDataType`; default store settings (background"
                + " write about once a second, 16 MB page cache); `commit()` after each batch";
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
        store.commit();
    }

    @Override
    public void open(Path dir) {
        store = new MVStore.Builder().fileName(dir.resolve(FILE).toString()).open();
        map = store.openMap(MAP, new MVMap.Builder<String, Long>()
                .keyType(StringDataType.INSTANCE).valueType(LongDataType.INSTANCE));
    }

    @Override
    public Long get(String key) {
        return map.get(key);
    }

    @Override
    public void scan(String fromInclusive, String toExclusive, ScanSink sink) {
        // The cursor's upper bound is inclusive: stop before the exclusive one.
        Cursor<String, Long> cursor = map.cursor(fromInclusive, toExclusive, false);
        while (cursor.hasNext()) {
            String key = cursor.next();
            if (key.compareTo(toExclusive) >= 0) {
                break;
            }
            sink.accept(key, cursor.getValue());
        }
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
            store = null;
            map = null;
        }
    }
}
