package org.jodb.storage.recovery;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jodb.spi.StorageException;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.storage.index.ChronicleFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that commits transfers with SIGKILL at random moments, again and again on the same
 * store, and checks after each reopen that no money appeared or vanished and that every commit the child
 * acknowledged (printed after {@code finish()} returned) is there. {@code -Djodb.crash.runs=N} runs longer
 * (default 24, which keeps the suite under a minute); {@code -Djodb.crash.seed} repeats a run.
 */
class KillProcessTest {

    @TempDir
    Path dir;

    @Test
    void killedWriterNeverLosesAcknowledgedCommitsOrMoney() throws Exception {
        int runs = Integer.getInteger("jodb.crash.runs", 24);
        long seed = Long.getLong("jodb.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Set<Long> acknowledged = new HashSet<>();
        for (int run = 0; run < runs; run++) {
            StorageOptions.Durability durability =
                    run % 3 == 2 ? StorageOptions.Durability.DEFERRED : StorageOptions.Durability.SYNC;
            Process child = ChildJvm.start(true, "transfer", dir.toString(), durability.name(),
                    Long.toString(random.nextLong()));
            List<Long> acks = new CopyOnWriteArrayList<>();
            CountDownLatch first = new CountDownLatch(1);
            Thread reader = new Thread(() -> readAcks(child, acks, first));
            reader.start();
            String context = "run " + run + " (seed " + seed + ", " + durability + ")";
            assertTrue(first.await(60, TimeUnit.SECONDS), context + ": the child never committed");
            Thread.sleep(random.nextInt(150));
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
            acknowledged.addAll(acks);
            CrashChecks.assertMoneyAndAcknowledgedCommits(dir, context, acknowledged, Long.MIN_VALUE);
        }
    }

    private static void readAcks(Process child, List<Long> acks, CountDownLatch first) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acks.add(Long.parseLong(line.substring(4).trim()));
                    first.countDown();
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the child was killed mid-line: the last, partial acknowledgement is not one
        }
    }

    @Test
    void aSecondProcessCannotOpenTheStoreUntilTheOwnerDies() throws Exception {
        Process owner = ChildJvm.start(true, "hold", dir.toString());
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            assertNotNull(line, "the owner process did not start");
            assertTrue(line.startsWith("OPEN"), line);
            StorageException e = assertThrows(StorageException.class, () -> MappedFileStorage.open(dir));
            assertTrue(e.getMessage().contains("another process"), e.getMessage());
        } finally {
            owner.destroyForcibly();
            owner.waitFor(30, TimeUnit.SECONDS);
        }
        MappedFileStorage.open(dir).close(); // the OS released the dead owner's lock
    }

    @Test
    void openingWithoutChronicleFlagsNamesEveryFlag() throws Exception {
        Process child = ChildJvm.start(false, "open", dir.toString());
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        child.waitFor(30, TimeUnit.SECONDS);
        assertTrue(output.startsWith("ERR " + StorageException.class.getName()), output);
        for (String flag : ChronicleFlags.REQUIRED) {
            assertTrue(output.contains(flag), "message must name " + flag + ": " + output);
        }
    }
}
