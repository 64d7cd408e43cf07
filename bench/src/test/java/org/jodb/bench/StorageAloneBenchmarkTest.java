package org.jodb.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --storage} mode end to end, with sizes so small that it takes a few seconds. */
class StorageAloneBenchmarkTest {

    @Test
    void measuresEveryTargetOfIssueFiveAndCleansUp(@TempDir Path tmp) {
        BenchOptions options = BenchOptions.parse("--quick", "--rounds", "1", "--accounts", "500",
                "--data", tmp.resolve("data").toString(), "--out", tmp.resolve("out").toString());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String md = new StorageAloneBenchmark(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        assertTrue(md.contains("| inserts, 1,000 per commit (objects/s) | ≥ 500,000 |"), md);
        assertTrue(md.contains("| 1 thread ÷ raw force rate | ≥ 80% |"), md);
        assertTrue(md.contains("| 8 threads ÷ 1 thread | ≥ 3× |"), md);
        assertTrue(md.contains("| open a closed store of 5,000 objects (ms) | < 100 ms |"), md + " (index not trusted?)");
        assertTrue(md.contains("| read all 5,000 objects after that open (objects/s) | ≥ 1,000,000 |"), md);
        assertFalse(md.contains("NaN"), md);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("round 1:"), log.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(tmp.resolve("data").resolve("storage")), "the benchmark deletes its stores");
    }
}
