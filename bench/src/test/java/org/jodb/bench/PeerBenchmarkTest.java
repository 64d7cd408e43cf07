package org.jodb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness end to end on jodb and the peers, with sizes so small that it takes a few seconds. */
class PeerBenchmarkTest {

    @Test
    void runsEveryPeerAndReportsFiguresOrReasons(@TempDir Path tmp) {
        System.setProperty("java.awt.headless", "true");
        BenchOptions options = BenchOptions.parse("--stores", "jodb,jodb-tree,mvstore,eclipsestore,mapdb",
                "--rounds", "1",
                "--accounts", "300", "--updates", "16", "--cap", "1", "--data", tmp.resolve("data").toString(),
                "--out", tmp.resolve("out").toString());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Results results = new PeerBenchmark(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        for (Workload w : new Workload[] {Workload.INSERT, Workload.UPDATE, Workload.SAVEPOINT, Workload.COLD_READ,
                Workload.CONCURRENT}) {
            for (Durability mode : Durability.values()) {
                assertTrue(results.median(new Results.Key("mvstore", w, mode)) > 0, "mvstore " + w + " " + mode);
                assertTrue(results.median(new Results.Key("jodb", w, mode)) > 0, "jodb " + w + " " + mode);
                assertTrue(results.median(new Results.Key("jodb-tree", w, mode)) > 0, "jodb-tree " + w + " " + mode);
            }
        }
        assertTrue(results.median(new Results.Key("mapdb", Workload.UPDATE, Durability.SYNC)) > 0);
        assertTrue(results.median(new Results.Key("eclipsestore", Workload.COLD_READ, Durability.DEFERRED)) > 0);
        assertEquals("never fsyncs", results.cannot(new Results.Key("eclipsestore", Workload.INSERT, Durability.SYNC)));
        assertEquals("no savepoints", results.cannot(new Results.Key("mapdb", Workload.SAVEPOINT, Durability.SYNC)));
        assertTrue(results.fsyncSamples() > 0);
        // Each run deletes its directory once read back and checked.
        assertFalse(Files.exists(tmp.resolve("data").resolve("mvstore-sync-r0")));

        String md = new MarkdownReport(options, results, "test").render();
        assertTrue(md.contains("| 3. changes, savepoint, changes, rollback (changes/s) | deferred |"), md);
        assertTrue(md.contains("n/a: no transactions/rollback"), md);
        assertTrue(md.contains("Raw fsync probe"), md);
        assertTrue(md.contains("| jodb/mvstore |"), md);
        assertFalse(md.contains("jodb/jodb-tree"), "jodb's own variant is a column of figures, not a peer: " + md);
        assertTrue(md.contains("## Targets (same run)"), md);
        assertTrue(RatioChart.write(options, new MarkdownReport(options, results, "test"), tmp.resolve("r.png")));
        assertTrue(Files.exists(tmp.resolve("r.png")));
    }
}
