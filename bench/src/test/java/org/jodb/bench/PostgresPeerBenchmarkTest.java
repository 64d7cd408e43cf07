package org.jodb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jodb.postgres.BenchServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL stores through the harness on the tests' server, with tiny sizes: workload 8 starts two child
 * JVMs on the same schema, and the read-back after the run (which fails the run on a lost or doubled transfer)
 * includes their commits.
 */
class PostgresPeerBenchmarkTest {

    @AfterEach
    void forgetServer() {
        System.clearProperty(PostgresServerUrl.PROPERTY);
    }

    @Test
    void workloadEightRunsInTwoChildJvmsOnTheSharedStoresOnly(@TempDir Path tmp) {
        System.setProperty(PostgresServerUrl.PROPERTY, BenchServer.url());
        BenchOptions options = BenchOptions.parse("--stores", "jodb-postgres,jodb-postgres-prefetch,jdbc-postgres,jodb",
                "--rounds", "1", "--workloads", "2,4,5,8", "--modes", "sync", "--accounts", "200", "--updates", "16",
                "--cap", "1",
                "--data", tmp.resolve("data").toString(), "--out", tmp.resolve("out").toString());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Results results = new PeerBenchmark(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        for (String store : new String[] {"jodb-postgres", "jodb-postgres-prefetch", "jdbc-postgres"}) {
            for (Workload w : new Workload[] {Workload.UPDATE, Workload.COLD_READ, Workload.CONCURRENT,
                    Workload.TWO_JVMS}) {
                assertTrue(results.median(new Results.Key(store, w, Durability.SYNC)) > 0, store + " " + w);
            }
            assertTrue(results.conflictRate(new Results.Key(store, Workload.TWO_JVMS, Durability.SYNC)) >= 0);
        }
        assertEquals("one process's store", results.cannot(new Results.Key("jodb", Workload.TWO_JVMS,
                Durability.SYNC)));

        String md = new MarkdownReport(options, results, "test").render();
        assertTrue(md.contains("| 8. workload 5 across 2 JVMs × 4 threads (commits/s) | fsync per commit |"), md);
        assertTrue(md.contains("## PostgreSQL targets (same run)"), md);
        assertTrue(md.contains("workload 5 across 2 JVMs (workload 8) ≥ 3× workload 2"), md);
        assertTrue(md.contains("Workload 8, jdbc-postgres, fsync per commit:"), md);
    }
}
