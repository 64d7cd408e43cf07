package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose index keeps far fewer pages in memory than it has ({@link StorageOptions#indexPagesInMemory} 64,
 * 20,000 objects in 313 pages): pages go back and forth between memory and the index file at every commit, the
 * index grows from 16 pages, a reader reads beside the writer, pack copies while commits go on, and a clean
 * reopen finds every object's newest revision in the file alone.
 */
class SmallIndexMemoryTest {

    private static final int OBJECTS = 20_000;

    @TempDir
    Path tmp;

    private static StorageOptions options() {
        return StorageOptions.builder().segmentSize(1 << 20).indexCapacity(1_000).indexPagesInMemory(64).build();
    }

    private static byte[] value(long oid, int round) {
        return (oid + "@" + round).getBytes(StandardCharsets.UTF_8);
    }

    private static int round(Revision r) {
        String text = new String(r.data(), StandardCharsets.UTF_8);
        return Integer.parseInt(text.substring(text.indexOf('@') + 1));
    }

    private static void commit(Storage storage, long[] oids, int from, int to, int round) {
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        for (int i = from; i < to; i++) {
            Revision current = storage.load(oids[i]);
            txn.store(oids[i], current == null ? Storage.NO_TID : current.tid(), value(oids[i], round));
        }
        txn.vote();
        txn.finish();
    }

    @Test
    void pagesLeaveMemoryAndComeBackThroughUpdatesPackAndReopen() throws Exception {
        Path dir = tmp.resolve("store");
        long[] oids = new long[OBJECTS];
        int[] rounds = new int[OBJECTS];
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            for (int i = 0; i < OBJECTS; i++) {
                oids[i] = storage.newOid();
            }
            // The index grows from 16 pages while a reader reads what is committed: each growth copies the index
            // into a new generation and lets the old one's pages go, under the reader's feet.
            AtomicInteger inserted = new AtomicInteger();
            AtomicReference<String> lost = new AtomicReference<>();
            Thread early = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (inserted.get() < OBJECTS && lost.get() == null) {
                    int committed = inserted.get();
                    if (committed > 0) {
                        int i = random.nextInt(committed);
                        if (storage.load(oids[i]) == null) {
                            lost.set("oid " + oids[i] + " missing after " + committed + " objects were committed");
                        }
                    }
                }
            });
            early.start();
            for (int i = 0; i < OBJECTS; i += 1_000) {
                commit(storage, oids, i, i + 1_000, 1);
                inserted.set(i + 1_000);
            }
            early.join();
            assertNull(lost.get());
            long pages = storage.hooks().index().pages();
            assertTrue(pages > 64 && storage.hooks().index().generation() > 1,
                    "more pages than slots, in an index grown: " + pages + " pages");
            java.util.Arrays.fill(rounds, 1);

            // Updates spread over every page, a reader checking beside them that nothing goes back in time.
            AtomicInteger completed = new AtomicInteger(1);
            AtomicReference<String> stale = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (completed.get() < 6 && stale.get() == null) {
                    int before = completed.get();
                    int i = random.nextInt(OBJECTS);
                    Revision r = storage.load(oids[i]);
                    if (r == null || round(r) < before && i % 7 == 0) {
                        stale.set("oid " + oids[i] + " at round " + (r == null ? "none" : round(r))
                                + " after round " + before + " completed");
                    }
                }
            });
            reader.start();
            for (int round = 2; round <= 6; round++) {
                long[] changed = new long[OBJECTS / 7 + 1];
                int n = 0;
                for (int i = 0; i < OBJECTS; i += 7) {
                    changed[n++] = oids[i];
                    rounds[i] = round;
                }
                for (int i = 0; i < n; i += 500) {
                    commit(storage, changed, i, Math.min(n, i + 500), round);
                }
                completed.set(round);
            }
            reader.join();
            assertNull(stale.get());

            // Pack while a writer changes other objects: no root, so every object is live.
            Thread writer = new Thread(() -> {
                long[] more = new long[OBJECTS / 7];
                int n = 0;
                for (int i = 3; i < OBJECTS && n < more.length; i += 7) {
                    more[n++] = oids[i];
                }
                for (int i = 0; i < n; i += 400) {
                    commit(storage, more, i, Math.min(n, i + 400), 7);
                }
            });
            writer.start();
            storage.pack(storage.lastTid(), (data, refs) -> { });
            writer.join();
            for (int i = 3; i < OBJECTS; i += 7) {
                rounds[i] = 7;
            }
            for (int i = 0; i < OBJECTS; i++) {
                assertEquals(rounds[i], round(storage.load(oids[i])), "oid " + oids[i] + " before the close");
            }
        }
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options())) {
            for (int i = 0; i < OBJECTS; i++) {
                assertEquals(rounds[i], round(storage.load(oids[i])), "oid " + oids[i] + " after the reopen");
            }
        }
    }

    @Test
    void aPageCountThatIsNoPowerOfTwoIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StorageOptions.builder().indexPagesInMemory(100));
        assertTrue(e.getMessage().contains("power of two from 64 to 1048576"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StorageOptions.builder().indexPagesInMemory(32));
        assertEquals(16_384, StorageOptions.defaults().indexPagesInMemory());
    }
}
