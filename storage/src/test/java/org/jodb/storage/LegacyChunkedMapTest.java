package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large maps written before they had a hash tree still load and answer, and get their tree at their first
 * insertion or removal of a key. The store in {@code legacy/chunked-maps-before-hash-tree.zip} (its log
 * segment only: the index is rebuilt from the log) was written by the code of commit ec0ceb1, the last
 * without the tree, with the default storage options:
 * <ul>
 * <li>root "strings": a {@code PersistentMap<String, Long>} of "key-i" to 7i for i in 0..4999, put in that
 * order in five commits, then the keys i &lt; 1000 with i % 5 == 0 removed (4,800 entries);
 * <li>root "mixed": a {@code PersistentMap<Object, Integer>} of 2,000 entries: for i in 0..1999 the key
 * {@code new HashSet<>(List.of(i, -i))} (no stable hash) when i % 100 == 0, else "k" + i, to i.
 * </ul>
 */
class LegacyChunkedMapTest {

    @TempDir
    Path tmp;

    private static LinkedHashMap<Object, Object> strings() {
        LinkedHashMap<Object, Object> expected = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) {
            if (i >= 1000 || i % 5 != 0) {
                expected.put("key-" + i, i * 7L);
            }
        }
        return expected;
    }

    private static Object mixedKey(int i) {
        return i % 100 == 0 ? new HashSet<>(List.of(i, -i)) : "k" + i;
    }

    private static LinkedHashMap<Object, Object> mixed() {
        LinkedHashMap<Object, Object> expected = new LinkedHashMap<>();
        for (int i = 0; i < 2000; i++) {
            expected.put(mixedKey(i), i);
        }
        return expected;
    }

    private Path unzipped() throws IOException {
        Path dir = tmp.resolve("store");
        Files.createDirectories(dir);
        try (InputStream in = getClass().getResourceAsStream("/legacy/chunked-maps-before-hash-tree.zip");
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Files.copy(zip, dir.resolve(e.getName()));
            }
        }
        return dir;
    }

    @SuppressWarnings("unchecked")
    private static PersistentMap<Object, Object> map(Connection conn, String name) {
        return (PersistentMap<Object, Object>) conn.root().get(name);
    }

    private static void assertSame(Map<Object, Object> expected, PersistentMap<Object, Object> map) {
        for (Object key : expected.keySet()) { // by key first: through the index or the tree
            assertEquals(expected.get(key), map.get(key), "key " + key);
        }
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(map.entrySet()));
    }

    @Test
    void aMapWrittenBeforeTheHashTreeLoadsAndGetsItsTreeAtItsFirstInsertion() throws IOException {
        Path dir = unzipped();
        LinkedHashMap<Object, Object> expected = strings();
        try (Database db = Database.open(MappedFileStorage.open(dir))) {
            TransactionManager tm = new TransactionManager(false);
            PersistentMap<Object, Object> map = map(db.open(tm), "strings");
            assertEquals(4800, map.size());
            assertNull(map.$jodbLayout().hashTree(), "written without the tree");
            assertSame(expected, map);
            assertEquals(null, map.get("key-5"));
            map.put("key-7", -7L); // a replacement changes the chunk only: no tree yet
            expected.put("key-7", -7L);
            tm.commit();
            assertNull(map.$jodbLayout().hashTree());
            map.put("new", 1L);
            expected.put("new", 1L);
            assertNotNull(map.$jodbLayout().hashTree(), "built at the first insertion");
            tm.commit();
        }
        try (Database db = Database.open(MappedFileStorage.open(dir))) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            PersistentMap<Object, Object> map = map(conn, "strings");
            conn.resetTransferCounts();
            assertEquals(4999 * 7L, map.get("key-4999"));
            assertTrue(conn.transferCounts().loads() <= 5, "the map, the tree (one bucket) and one chunk: "
                    + conn.transferCounts().loads() + " of " + map.$jodbLayout().chunkCount() + " chunks");
            assertNotNull(map.$jodbLayout().hashTree());
            assertSame(expected, map);
            map.remove("key-4999");
            expected.remove("key-4999");
            tm.commit();
            assertSame(expected, map);
        }
    }

    @Test
    void aMapWithKeysWithoutAStableHashKeepsItsIndexUntilTheyAreGone() throws IOException {
        Path dir = unzipped();
        LinkedHashMap<Object, Object> expected = mixed();
        try (Database db = Database.open(MappedFileStorage.open(dir))) {
            TransactionManager tm = new TransactionManager(false);
            PersistentMap<Object, Object> map = map(db.open(tm), "mixed");
            assertSame(expected, map);
            assertEquals(1500, map.get(new HashSet<>(Set.of(1500, -1500))));
            map.put("more", -1);
            expected.put("more", -1);
            tm.commit();
            assertNull(map.$jodbLayout().hashTree(), "20 keys without a stable hash: no tree");
            assertSame(expected, map);
            for (int i = 0; i < 2000; i += 100) {
                assertEquals(i, map.remove(mixedKey(i)));
                expected.remove(mixedKey(i));
            }
            assertNull(map.$jodbLayout().hashTree(), "built at the next change of a key");
            map.put("last", 0);
            expected.put("last", 0);
            assertNotNull(map.$jodbLayout().hashTree(), "every key has a stable hash now");
            tm.commit();
        }
        try (Database db = Database.open(MappedFileStorage.open(dir))) {
            TransactionManager tm = new TransactionManager(false);
            PersistentMap<Object, Object> map = map(db.open(tm), "mixed");
            assertSame(expected, map);
            assertNotNull(map.$jodbLayout().hashTree());
            assertNull(map.get(new HashSet<>(Set.of(100, -100))), "a key without a stable hash, absent");
            tm.abort();
        }
    }
}
