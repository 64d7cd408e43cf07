package org.jodb.storage.internal.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.jodb.storage.internal.index.OidIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while online pack runs beside a committing thread (4 KiB segments: pack writes several output
 * segments and commits roll over often; new oids grow the index): after each kill the reopened store holds
 * every acknowledged commit and all the money, and no pack output, temporary file, {@code pack.commit} or
 * stale index generation is left behind. {@code -Djodb.crash.runs=N} runs longer (default 4).
 */
class KillWhilePackingTest {

    @TempDir
    Path dir;

    @Test
    void killedPackNeverLosesAcknowledgedCommitsOrLeavesItsFilesBehind() throws Exception {
        int runs = Integer.getInteger("jodb.crash.runs", 4);
        long seed = Long.getLong("jodb.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Set<Long> acknowledged = new HashSet<>();
        int packs = 0;
        long packedUpTo = Long.MIN_VALUE; // the highest packTid a child announced: older commits may be dropped
        for (int run = 0; run < runs; run++) {
            Process child = ChildJvm.start(true, "transferpack", dir.toString(), Long.toString(random.nextLong()));
            List<Long> acks = new CopyOnWriteArrayList<>();
            AtomicInteger packed = new AtomicInteger();
            AtomicReference<String> failed = new AtomicReference<>();
            AtomicLong packTid = new AtomicLong(packedUpTo);
            CountDownLatch first = new CountDownLatch(1);
            Thread reader = new Thread(() -> read(child, acks, packed, packTid, failed, first));
            reader.start();
            String context = "run " + run + " (seed " + seed + ")";
            assertTrue(first.await(60, TimeUnit.SECONDS), context + ": the child never got through a pack (done or refused)");
            assertNull(failed.get(), context + ": pack failed in the child");
            Thread.sleep(random.nextInt(300));
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
            acknowledged.addAll(acks);
            packs += packed.get();
            packedUpTo = packTid.get();
            check(context, acknowledged, packedUpTo);
        }
        assertTrue(packs >= runs, "packs completed: " + packs);
    }

    /**
     * Collects the child's acknowledgements and counts its packs; {@code first} opens at the first pack that
     * returned or was refused (the writers outran its copy: it wrote output, then discarded it), or at a failure.
     */
    private static void read(Process child, List<Long> acks, AtomicInteger packed, AtomicLong packTid,
                             AtomicReference<String> failed, CountDownLatch first) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acks.add(Long.parseLong(line.substring(4).trim()));
                } else if (line.startsWith("PACKING ")) {
                    packTid.accumulateAndGet(Long.parseLong(line.substring("PACKING ".length()).trim()), Math::max);
                } else if (line.equals("PACK")) {
                    packed.incrementAndGet();
                    first.countDown();
                } else if (line.equals("PACK REFUSED")) {
                    first.countDown();
                } else if (line.startsWith("PACK FAILED ")) {
                    failed.set(line.substring("PACK FAILED ".length()));
                    first.countDown();
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the child was killed mid-line: the last, partial line is not an acknowledgement
        }
    }

    /** The reopened store's money and acknowledged commits, then its directory: no pack leftovers. */
    private void check(String context, Set<Long> acknowledged, long packedUpTo) throws IOException {
        CrashChecks.assertMoneyAndAcknowledgedCommits(dir, context, acknowledged, packedUpTo);
        try (Stream<Path> files = Files.list(dir)) {
            int indexes = 0;
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                indexes += OidIndex.isIndexFile(p) ? 1 : 0;
                assertTrue(name.matches("log-\\d{8}\\.seg|index-\\d{8}\\.cm|index\\.meta|jodb\\.lock"),
                        context + ": left behind: " + name);
            }
            assertEquals(1, indexes, context + ": index generations left");
        }
    }
}
