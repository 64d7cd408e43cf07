package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pack is online: writers commit while it copies. The proof of overlap is deterministic: while pack is in
 * its copying phase (a hook runs on the packing thread), other threads commit and the hook waits for them
 * to finish; had pack held the commit lock, they could not, and the wait would time out.
 */
class OnlinePackTest {

    private static final int WRITERS = 3;
    private static final int COMMITS = 20;

    @TempDir
    Path tmp;

    /** Records are "label" or "label>ref,ref,...". */
    private static final ReferenceFinder REFERENCES = (data, oids) -> {
        String text = new String(data, StandardCharsets.UTF_8);
        int arrow = text.indexOf('>');
        if (arrow >= 0 && arrow + 1 < text.length()) {
            for (String ref : text.substring(arrow + 1).split(",")) {
                oids.accept(Long.parseLong(ref));
            }
        }
    };

    private static byte[] record(String label, long... refs) {
        StringBuilder b = new StringBuilder(label);
        for (int i = 0; i < refs.length; i++) {
            b.append(i == 0 ? ">" : ",").append(refs[i]);
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String label(Revision r) {
        assertNotNull(r, "expected a revision");
        String text = new String(r.data(), StandardCharsets.UTF_8);
        int arrow = text.indexOf('>');
        return arrow < 0 ? text : text.substring(0, arrow);
    }

    private static long commit(Storage storage, Map<Long, byte[]> writes) {
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        for (Map.Entry<Long, byte[]> w : writes.entrySet()) {
            Revision current = storage.load(w.getKey());
            txn.store(w.getKey(), current == null ? Storage.NO_TID : current.tid(), w.getValue());
        }
        txn.vote();
        return txn.finish();
    }

    private static StorageOptions options(int segmentSize) {
        return StorageOptions.builder().segmentSize(segmentSize).indexCapacity(1_000).build();
    }

    @ParameterizedTest(name = "segmentSize={0}")
    @ValueSource(ints = {512, 1 << 20})
    void writersCommitWhilePackCopiesAndNothingIsLost(int segmentSize) throws Exception {
        Path dir = tmp.resolve("store");
        long[] counters = new long[WRITERS];
        long orphan;
        long snapshot;
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options(segmentSize))) {
            for (int w = 0; w < WRITERS; w++) {
                counters[w] = storage.newOid();
            }
            orphan = storage.newOid();
            Map<Long, byte[]> first = new HashMap<>();
            first.put(Storage.ROOT_OID, record("root", append(counters, orphan)));
            for (long c : counters) {
                first.put(c, record("0"));
            }
            first.put(orphan, record("orphan"));
            commit(storage, first);
            commit(storage, Map.of(Storage.ROOT_OID, record("root v2", counters))); // orphan unreachable
            snapshot = storage.lastTid();

            AtomicInteger hookRuns = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            storage.hooks().whilePackCopies = () -> {
                if (hookRuns.incrementAndGet() > 1) {
                    return;
                }
                CountDownLatch done = new CountDownLatch(WRITERS);
                List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    long counter = counters[w];
                    Thread t = new Thread(() -> {
                        try {
                            for (int i = 1; i <= COMMITS; i++) {
                                assertEquals(Integer.toString(i - 1), label(storage.load(counter)));
                                commit(storage, Map.of(counter, record(Integer.toString(i))));
                                // readers keep their snapshot while pack runs
                                assertEquals("0", label(storage.loadAt(counter, snapshot)));
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            done.countDown();
                        }
                    });
                    threads.add(t);
                    t.start();
                }
                try {
                    assertTrue(done.await(60, TimeUnit.SECONDS), "writers could not commit while pack copied");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            };
            storage.pack(snapshot, REFERENCES);
            assertNull(failure.get(), () -> "a writer failed during pack: " + failure.get());
            assertEquals(1, hookRuns.get(), "one online pass, no fallback under the lock");
            assertState(storage, counters, orphan, snapshot);
            commit(storage, Map.of(counters[0], record("after")));
            assertEquals("after", label(storage.load(counters[0])));
            commit(storage, Map.of(counters[0], record(Integer.toString(COMMITS))));
        }
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, options(segmentSize))) {
            assertState(reopened, counters, orphan, snapshot);
        }
    }

    private static void assertState(Storage storage, long[] counters, long orphan, long snapshot) {
        for (long c : counters) {
            assertEquals(Integer.toString(COMMITS), label(storage.load(c)), "every commit made during pack kept");
            assertEquals("0", label(storage.loadAt(c, snapshot)), "the snapshot at packTid is kept");
            assertTrue(storage.history(c, 100).size() >= COMMITS + 1, "revisions after packTid are kept");
        }
        assertNull(storage.load(orphan), "unreachable at the pack point: dropped");
        assertEquals("root v2", label(storage.load(Storage.ROOT_OID)));
    }

    @ParameterizedTest(name = "segmentSize={0}")
    @ValueSource(ints = {512, 1 << 20})
    void anObjectLinkedAgainDuringPackSurvives(int segmentSize) {
        Path dir = tmp.resolve("revived");
        long child;
        long revived;
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options(segmentSize))) {
            child = storage.newOid();
            revived = storage.newOid();
            commit(storage, Map.of(Storage.ROOT_OID, record("root", child, revived), child, record("child"),
                    revived, record("revived")));
            commit(storage, Map.of(Storage.ROOT_OID, record("root v2", child))); // revived is unreachable now
            AtomicInteger hookRuns = new AtomicInteger();
            storage.hooks().whilePackCopies = () -> {
                if (hookRuns.incrementAndGet() == 1) {
                    // a writer that still held the object links it again while pack copies
                    commit(storage, Map.of(Storage.ROOT_OID, record("root v3", child, revived)));
                }
            };
            storage.pack(storage.lastTid(), REFERENCES);
            assertEquals(2, hookRuns.get(), "the online pass gave up; the second pass held the lock");
            assertEquals("revived", label(storage.load(revived)));
            assertEquals("root v3", label(storage.load(Storage.ROOT_OID)));
        }
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, options(segmentSize))) {
            assertEquals("revived", label(reopened.load(revived)));
            assertEquals("child", label(reopened.load(child)));
        }
    }

    /**
     * A crash while pack runs, with writers having added segments meanwhile: before pack's commit point the
     * reopened store is the unpacked one with every commit; after it, the packed one with every commit.
     */
    @ParameterizedTest(name = "crash after the commit point: {0}")
    @ValueSource(booleans = {false, true})
    void aCrashDuringPackLosesNothing(boolean afterCommitPoint) throws Exception {
        Path dir = tmp.resolve("store");
        Path image = tmp.resolve("image");
        long child;
        long orphan;
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options(512))) {
            child = storage.newOid();
            orphan = storage.newOid();
            commit(storage, Map.of(Storage.ROOT_OID, record("root", child, orphan), child, record("0"),
                    orphan, record("orphan")));
            commit(storage, Map.of(Storage.ROOT_OID, record("root v2", child))); // orphan unreachable
            Runnable crash = () -> {
                try {
                    StoreFiles.copyCrashImage(dir, image);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            storage.hooks().whilePackCopies = () -> {
                for (int i = 1; i <= 5; i++) { // each rolls the 512-byte segments over
                    commit(storage, Map.of(child, record(Integer.toString(i))));
                }
                if (!afterCommitPoint) {
                    crash.run();
                }
            };
            if (afterCommitPoint) {
                storage.hooks().atPackCommitPoint = crash;
            }
            storage.pack(storage.lastTid(), REFERENCES);
        }
        try (MappedFileStorage reopened = MappedFileStorage.open(image, options(512))) {
            assertEquals("5", label(reopened.load(child)), "every commit made during pack survives the crash");
            assertEquals("root v2", label(reopened.load(Storage.ROOT_OID)));
            if (afterCommitPoint) {
                assertNull(reopened.load(orphan), "the committed pack was completed at open");
            } else {
                assertEquals("orphan", label(reopened.load(orphan)), "the uncommitted pack was dropped at open");
            }
            commit(reopened, Map.of(child, record("6")));
        }
        try (MappedFileStorage reopened = MappedFileStorage.open(image, options(512))) {
            assertEquals("6", label(reopened.load(child)));
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(image)) {
                assertTrue(files.noneMatch(p -> p.toString().endsWith(".pack") || p.endsWith("pack.commit")),
                        "no pack leftovers");
            }
        }
    }

    private static long[] append(long[] a, long b) {
        long[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }
}
