package org.jodb.storage.internal.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jodb.spi.StorageException;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.storage.internal.index.ChronicleFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that commits transfers with SIGKILL at random moments, again and again, and checks after
 * each reopen that no money appeared or vanished, that nothing is half there, and that every commit the child
 * acknowledged (printed after the commit returned) is there. The rounds alternate between two stores: on
 * one, a single writer thread commits records through the storage API and acknowledges tids; on the other,
 * 4 writer threads commit through the object layer ({@link ObjectTransfers}), each with its own
 * {@code TransactionManager(false)} and connection and {@code TransactionManager.run} retries, starting
 * together on a class the child has not used yet, as a server does when it starts under load. A transfer that
 * still conflicts after its retries is not acknowledged; a writer that fails in any other way fails the test.
 *
 * <p>{@code -Djodb.crash.runs=N} runs longer (default 24, half of them with 4 writer threads, about a minute);
 * a few hundred make a good run by hand:
 * {@code mvn -B -o -pl core,storage test -Dtest=KillProcessTest#killedWriter* -Dsurefire.failIfNoSpecifiedTests=false -Djodb.crash.runs=300}.
 * {@code -Djodb.crash.seed} repeats a run.
 */
class KillProcessTest {
    /** Writer threads of the object-layer rounds. */
    private static final int OBJECT_WRITERS = 4;

    @TempDir
    Path dir;

    @Test
    void killedWriterNeverLosesAcknowledgedCommitsOrMoney() throws Exception {
        int runs = Integer.getInteger("jodb.crash.runs", 24);
        long seed = Long.getLong("jodb.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path records = Files.createDirectories(dir.resolve("records"));
        Path objects = Files.createDirectories(dir.resolve("objects"));
        Set<Long> acknowledgedTids = new HashSet<>();
        Map<Integer, Long> acknowledgedVersions = new HashMap<>();
        for (int run = 0; run < runs; run++) {
            StorageOptions.Durability durability =
                    run % 3 == 2 ? StorageOptions.Durability.DEFERRED : StorageOptions.Durability.SYNC;
            if (run % 2 == 0) {
                String context = "run " + run + " (seed " + seed + ", records, 1 writer thread, " + durability + ")";
                recordsRound(records, durability, random, context, acknowledgedTids);
            } else {
                String context = "run " + run + " (seed " + seed + ", objects, " + OBJECT_WRITERS + " writer threads, "
                        + durability + ")";
                objectsRound(objects, durability, random, context, acknowledgedVersions);
            }
        }
    }

    private static void recordsRound(Path store, StorageOptions.Durability durability, Random random, String context,
            Set<Long> acknowledged) throws Exception {
        Process child = ChildJvm.start(true, "transfer", store.toString(), durability.name(),
                Long.toString(random.nextLong()));
        List<Long> acks = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        Thread reader = new Thread(() -> readAcks(child, acks, first));
        reader.start();
        assertTrue(first.await(60, TimeUnit.SECONDS), context + ": the child never committed");
        Thread.sleep(random.nextInt(150));
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
        acknowledged.addAll(acks);
        CrashChecks.assertMoneyAndAcknowledgedCommits(store, context, acknowledged, Long.MIN_VALUE);
    }

    private static void objectsRound(Path store, StorageOptions.Durability durability, Random random, String context,
            Map<Integer, Long> acknowledged) throws Exception {
        Process child = ChildJvm.start(true, "objects", store.toString(), durability.name(),
                Integer.toString(OBJECT_WRITERS), Long.toString(random.nextLong()));
        Map<Integer, Long> acks = new ConcurrentHashMap<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        Thread reader = new Thread(() -> readTransferAcks(child, acks, failures, first));
        reader.start();
        assertTrue(first.await(60, TimeUnit.SECONDS), context + ": the child never committed");
        Thread.sleep(random.nextInt(150));
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
        assertEquals(List.of(), failures, context + ": a writer failed");
        acks.forEach((account, version) -> acknowledged.merge(account, version, Math::max));
        CrashChecks.assertObjectMoneyAndAcknowledgedTransfers(store, context, acknowledged);
    }

    /** Reads {@code ACK <from>:<version> <to>:<version>} and {@code FAILED ...} lines of an {@code objects} child. */
    private static void readTransferAcks(Process child, Map<Integer, Long> acks, List<String> failures,
            CountDownLatch first) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("FAILED ")) {
                    failures.add(line);
                    first.countDown();
                } else if (line.startsWith("ACK ")) {
                    String[] parts = line.substring(4).trim().split(" ");
                    Map<Integer, Long> parsed = new HashMap<>();
                    for (String part : parts) {
                        String[] accountVersion = part.split(":");
                        parsed.put(Integer.parseInt(accountVersion[0]), Long.parseLong(accountVersion[1]));
                    }
                    if (parts.length == 2 && parsed.size() == 2) {
                        parsed.forEach((account, version) -> acks.merge(account, version, Math::max));
                        first.countDown();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the child was killed mid-line: the last, partial acknowledgement is not one
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
