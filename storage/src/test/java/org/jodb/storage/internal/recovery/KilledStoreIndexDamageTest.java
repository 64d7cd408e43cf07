package org.jodb.storage.internal.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.IndexDamageTrials;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.storage.internal.index.IndexMeta;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index damage in a store whose writer was killed (SIGKILL) while it committed: its {@code index.meta} says
 * "open" and its index files are whatever the writer left. A byte flipped at, or a cut at, every
 * {@link IndexDamageTrials#STRIDE}-th offset of the last 4 KiB of each index file and every fourth offset of
 * {@code index.meta} ({@code -Djodb.indexDamage.stride=1} runs every offset of both by hand), or a deleted or
 * random side file: every trial recovers, reads every object as an
 * undamaged copy does, and commits on top, with no exception and no stall.
 */
class KilledStoreIndexDamageTest {

    @TempDir
    static Path seed;
    @TempDir
    static Path work;

    private static IndexDamageTrials trials;

    /**
     * 200 objects committed and closed cleanly in this process, then a child opens the store (trusting that
     * index file and changing it), creates its accounts and moves money until it is killed.
     */
    @BeforeAll
    static void killAWriter() throws Exception {
        StorageOptions options = CrashWorker.options(StorageOptions.Durability.SYNC);
        try (MappedFileStorage s = MappedFileStorage.open(seed, options)) {
            StorageTransaction txn = s.tpcBegin(new TransactionMetadata("seed", ""), ConflictResolver.NONE);
            for (int i = 0; i < 200; i++) {
                txn.store(s.newOid(), Storage.NO_TID, ("object " + i).getBytes());
            }
            txn.vote();
            txn.finish();
        }
        Process child = ChildJvm.start(true, "transfer", seed.toString(), "SYNC", Long.toString(new Random().nextLong()));
        int acks = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acks < 40 && (line = in.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acks++;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(acks >= 40, "the writer committed only " + acks + " transactions before it ended");
        trials = new IndexDamageTrials(seed, work, options);
    }

    @Test
    void theSeedWasLeftOpen() throws IOException {
        IndexMeta meta = IndexMeta.read(seed);
        assertTrue(meta != null && !meta.clean(), "a killed writer leaves an \"open\" side file: " + meta);
        assertTrue(trials.objects() == 200 + 1 + CrashWorker.ACCOUNTS, "objects, root and accounts: "
                + trials.objects());
        // generation 1 from the clean close; 2, which the writer rebuilt when its index lacked the root it asked for
        assertEquals(List.of("index-00000001.cm", "index-00000002.cm", IndexMeta.FILE_NAME), trials.indexFiles());
    }

    @Test
    void aFlipOrTruncationInTheLastFourKiBOfEachIndexFile() throws IOException {
        List<String> files = trials.indexFiles();
        for (String file : files) {
            // the side file at every fourth offset here (every offset in IndexDamageTest, whose trials trust it)
            List<Long> offsets = file.equals(IndexMeta.FILE_NAME)
                    ? java.util.stream.LongStream.range(0, trials.size(file))
                            .filter(at -> at % Math.min(4, IndexDamageTrials.STRIDE) == 0).boxed().toList()
                    : trials.lastFourKiB(file);
            for (long at : offsets) {
                assertFalse(trials.run(file, IndexDamageTrials.flip(at), file + " byte " + at + " flipped")
                        .openedFromIndex(), "a killed writer's index is rebuilt");
                assertFalse(trials.run(file, IndexDamageTrials.truncate(at), file + " cut at " + at)
                        .openedFromIndex());
            }
        }
    }

    @Test
    void theMetaDeletedOrRandom() throws IOException {
        assertFalse(trials.run(IndexMeta.FILE_NAME, IndexDamageTrials.delete(), "meta deleted").openedFromIndex());
        Random random = new Random(3);
        for (int length : new int[]{0, 5, 92, 500}) {
            byte[] noise = new byte[length];
            random.nextBytes(noise);
            assertFalse(trials.run(IndexMeta.FILE_NAME, IndexDamageTrials.replaceWith(noise), "meta replaced by "
                    + length + " random bytes").openedFromIndex());
        }
    }
}
