package org.jodb.storage.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.Storage;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.storage.index.OidIndex;
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

    /**
     * The reopened store holds all the money and every acknowledged commit: those after {@code packedUpTo}
     * are listed; older ones pack may have dropped (it keeps no transaction at or before packTid whose every
     * revision a later one replaced), and since the log only loses a suffix, they are there if the newest tid
     * is at least theirs.
     */
    private void check(String context, Set<Long> acknowledged, long packedUpTo) throws IOException {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, CrashWorker.options(StorageOptions.Durability.SYNC))) {
            long total = 0;
            for (long oid = 1; oid <= CrashWorker.ACCOUNTS; oid++) {
                assertNotNull(storage.load(oid), context + ": account " + oid + " missing");
                total += CrashWorker.balance(storage.load(oid));
            }
            assertEquals(CrashWorker.ACCOUNTS * CrashWorker.START_BALANCE, total, context + ": money changed");
            Set<Long> present = new HashSet<>();
            for (CommittedTransaction txn : storage.transactionsAfter(Storage.NO_TID)) {
                present.add(txn.tid());
            }
            for (long tid : acknowledged) {
                assertTrue(tid <= storage.lastTid(), context + ": acknowledged commit " + tid + " is after the log's"
                        + " end (" + storage.lastTid() + ")");
                assertTrue(tid <= packedUpTo || present.contains(tid), context + ": acknowledged commit " + tid
                        + " was lost");
            }
        }
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
