package org.jodb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workloads 6 and 7 end to end on every store with tiny sizes (a few seconds), and the checks that make a
 * store that reads wrong fail the run.
 */
class BigMapBenchmarkTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static BigMapOptions tiny(Path tmp, String stores, int rounds) {
        // 2,500 entries in commits of 1,000: three commits, and jodb's PersistentMap past its 1,024-entry chunking.
        return BigMapOptions.parse("--quick", "--stores", stores, "--entries", "2500", "--batch", "1000",
                "--gets", "200", "--scans", "20", "--rounds", Integer.toString(rounds), "--settle", "200",
                "--data", tmp.resolve("data").toString(),
                "--out", tmp.resolve("out").toString());
    }

    @Test
    void everyStoreReadsBackWhatWasPutAndTheReportShowsFiguresOrReasons(@TempDir Path tmp) {
        BigMapOptions options = tiny(tmp, String.join(",", BigMapStores.ALL), 1);
        BigMapResults results = new BigMapBenchmark(options, QUIET).run();

        for (String store : BigMapStores.ALL) {
            assertEquals(1, results.figures(store).rounds().size(), store);
            assertTrue(results.medianMinMax(store, BigMapMeasure.GET_P99)[0] > 0, store);
            assertTrue(results.medianMinMax(store, BigMapMeasure.OPEN)[0] > 0, store);
            assertTrue(results.figures(store).bytesOnDisk() > 0, store);
        }
        for (String sorted : List.of("jodb-tree", "mvstore", "mapdb", "eclipsestore")) {
            assertTrue(results.medianMinMax(sorted, BigMapMeasure.SCANS)[0] > 0, sorted);
        }
        assertTrue(Double.isNaN(results.medianMinMax("jodb", BigMapMeasure.SCANS)[0]));
        // jodb counts what its gets load: 2,500 entries are a tree of two levels, whose cold first get loads the
        // tree's record, its root branch and a bucket (and, under the root map, nothing else)
        double treeFirst = results.medianMinMax("jodb-tree", BigMapMeasure.FIRST_GET_RECORDS)[0];
        assertTrue(treeFirst >= 2 && treeFirst <= 4, "records loaded by the tree's first get: " + treeFirst);
        assertTrue(results.medianMinMax("jodb-tree", BigMapMeasure.RECORDS_PER_GET)[0] <= 2,
                "a warm tree's random get loads at most a bucket and a branch");
        assertTrue(results.medianMinMax("jodb", BigMapMeasure.FIRST_GET_RECORDS)[0] >= 1,
                "a PersistentMap's first get is counted too");
        // The stores are deleted once measured.
        assertFalse(Files.exists(options.dataDir().resolve("bigmap-jodb")));

        String md = new BigMapReport(options, results, "test").render();
        assertTrue(md.contains("| 7. range scans of 100 keys | scans/s |"), md);
        assertTrue(md.contains("n/a: PersistentMap is insertion-ordered: no subMap"), md);
        assertTrue(md.contains("n/a: LazyHashMap is unordered: no subMap"), md);
        assertTrue(md.contains("n/a: not counted"), md);
        assertTrue(md.contains("A map of 2,500 string keys"), md);
    }

    @Test
    void aStoreThatReturnsAWrongValueFailsTheRun(@TempDir Path tmp) {
        BigMapOptions options = tiny(tmp, "mvstore", 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new BigMapBenchmark(options, QUIET, name -> new InMemoryStore(true, false)).run());
        assertTrue(e.getMessage().contains("returned") && e.getMessage().contains("reads wrong"), e.getMessage());
    }

    @Test
    void aStoreThatScansOutOfOrderFailsTheRun(@TempDir Path tmp) {
        BigMapOptions options = tiny(tmp, "mvstore", 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new BigMapBenchmark(options, QUIET, name -> new InMemoryStore(false, true)).run());
        assertTrue(e.getMessage().contains("scan of") && e.getMessage().contains("reads wrong"), e.getMessage());
    }

    @Test
    void aCorrectStoreInMemoryPassesTheChecks(@TempDir Path tmp) {
        BigMapOptions options = tiny(tmp, "mvstore", 2);
        BigMapResults results = new BigMapBenchmark(options, QUIET, name -> new InMemoryStore(false, false)).run();
        assertTrue(results.medianMinMax("mvstore", BigMapMeasure.SCANS)[0] > 0);
    }

    @Test
    void optionsHaveTheDocumentedSizesAndRefuseContradictions() {
        BigMapOptions full = BigMapOptions.parse();
        assertEquals(1_000_000, full.entries());
        assertEquals(10_000, full.batch());
        assertEquals(10_000, full.gets());
        assertEquals(1_000, full.scans());
        BigMapOptions quick = BigMapOptions.parse("--quick");
        assertEquals(100_000, quick.entries());
        assertEquals(1_000, quick.gets());
        assertEquals(100, quick.scans());
        BigMapOptions big = BigMapOptions.parse("--big");
        assertEquals(10_000_000, big.entries());
        assertFalse(big.stores().contains("eclipsestore"), "the TreeMap that loads whole is left out of --big");
        assertTrue(BigMapOptions.parse("--big", "--stores", "eclipsestore").stores().contains("eclipsestore"));
        assertThrows(IllegalArgumentException.class, () -> BigMapOptions.parse("--quick", "--big"));
        assertThrows(IllegalArgumentException.class, () -> BigMapOptions.parse("--stores", "oracle"));
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> BigMapOptions.parse("--entries", "50"));
        assertTrue(small.getMessage().contains("at least 100"), small.getMessage());
    }

    /**
     * A sorted map in memory shared by every adapter the benchmark makes (the directory is ignored, so a reopen
     * finds the data), optionally wrong: every get off by one, or scans that swap their first two entries.
     */
    private static final class InMemoryStore implements BigMapStore {
        private static final NavigableMap<String, Long> DATA = new TreeMap<>();
        private final boolean wrongGets;
        private final boolean swapInScans;

        InMemoryStore(boolean wrongGets, boolean swapInScans) {
            this.wrongGets = wrongGets;
            this.swapInScans = swapInScans;
        }

        @Override
        public String name() {
            return "mvstore";
        }

        @Override
        public String product() {
            return "in memory";
        }

        @Override
        public String describe() {
            return "a TreeMap";
        }

        @Override
        public String cannotScan() {
            return null;
        }

        @Override
        public void create(Path dir) {
            DATA.clear();
        }

        @Override
        public void putAll(int from, int count) {
            for (int i = from; i < from + count; i++) {
                DATA.put(BigMapKeys.key(i), BigMapKeys.value(i));
            }
        }

        @Override
        public void open(Path dir) {
        }

        @Override
        public Long get(String key) {
            Long v = DATA.get(key);
            return wrongGets ? Long.valueOf(v + 1) : v;
        }

        @Override
        public void scan(String fromInclusive, String toExclusive, ScanSink sink) {
            List<java.util.Map.Entry<String, Long>> entries =
                    List.copyOf(DATA.subMap(fromInclusive, true, toExclusive, false).entrySet());
            for (int j = 0; j < entries.size(); j++) {
                int k = swapInScans && j < 2 ? 1 - j : j;
                sink.accept(entries.get(k).getKey(), entries.get(k).getValue());
            }
        }

        @Override
        public void close() {
        }
    }
}
