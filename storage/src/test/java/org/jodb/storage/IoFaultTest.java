package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Disk full and I/O errors during a commit, after SQLite's pagerfault.test: for every position N, the Nth
 * file operation of a commit fails (once, or from then on), and then:
 * <ul>
 *   <li>the commit throws {@link StorageException};</li>
 *   <li>if the storage stayed open, the failed commit left no trace, and the next commit succeeds;</li>
 *   <li>if it closed itself (a force or the commit point failed), reopening shows every acknowledged commit,
 *       and the failed one wholly or not at all;</li>
 *   <li>the files as a crash right after the failure would leave them recover to the same states.</li>
 * </ul>
 * The loop ends at the first N that the commit no longer reaches: every step has then failed once.
 */
class IoFaultTest {

    private static final int OBJECTS = 4;

    @TempDir
    Path tmp;

    /**
     * @param operations the file operations of the commit under test: with 256-byte segments it rolls over
     *                   (create the segment, end marker, force the old one) before the record's one write
     *                   (body and trailer, FORMAT.md 7.1 step 6) and the force
     */
    @ParameterizedTest(name = "segmentSize={0}, persistent={1}")
    @CsvSource({"256, false, 5", "256, true, 5", "65536, false, 2", "65536, true, 2"})
    void aCommitFailingAtAnyFileOperationFailsCleanly(int segmentSize, boolean persistent, int operations)
            throws IOException {
        StorageOptions options = StorageOptions.builder().segmentSize(segmentSize).indexCapacity(1_000).build();
        int n = 1;
        for (; n < 100; n++) {
            Path dir = tmp.resolve("store-" + n);
            FaultyLogIo io = new FaultyLogIo();
            Map<Long, String> acknowledged = new TreeMap<>();
            Map<Long, String> attempted;
            boolean threw = false;
            MappedFileStorage storage = MappedFileStorage.open(dir, options, io);
            try {
                for (long oid = 1; oid < OBJECTS; oid++) {
                    storage.newOid();
                }
                commitRound(storage, 1, acknowledged);
                commitRound(storage, 2, acknowledged);
                io.failAt(n, persistent);
                attempted = new TreeMap<>();
                for (long oid = 0; oid < OBJECTS; oid++) {
                    attempted.put(oid, "r3-" + oid);
                }
                try {
                    commitRound(storage, 3, new HashMap<>());
                } catch (StorageException e) {
                    threw = true;
                }
                if (io.fired() == 0) {
                    assertFalse(threw, "a commit that met no fault succeeds");
                    assertEquals(attempted, state(storage));
                    break; // N is past the last file operation of a commit: every one has failed once
                }
                String where = "fault " + n + " (" + io.lastFault + ")";
                assertTrue(threw, where + ": the failure reaches the committer");
                io.disarm();
                Path crash = tmp.resolve("crash-" + n);
                StoreFiles.copyCrashImage(dir, crash);
                if (!storage.hooks().isClosed()) {
                    assertEquals(acknowledged, state(storage), where + ": the failed commit left nothing visible");
                    Map<Long, String> atFailure = new TreeMap<>(acknowledged);
                    commitRound(storage, 4, acknowledged);
                    assertEquals(acknowledged, state(storage), where + ": the next commit succeeds");
                    storage.close();
                    try (MappedFileStorage reopened = MappedFileStorage.open(dir, options)) {
                        assertEquals(acknowledged, state(reopened), where + ": reopened after a clean close");
                    }
                    assertRecovers(crash, options, where, atFailure, atFailure);
                } else {
                    assertThrows(IllegalStateException.class, () -> storage.load(1), where + ": closed itself");
                    assertRecovers(crash, options, where, acknowledged, attempted);
                    assertRecovers(dir, options, where, acknowledged, attempted);
                }
            } finally {
                storage.close();
            }
        }
        assertEquals(operations + 1, n, "every file operation of the commit failed once");
    }

    @Test
    void aLargeCommitWhoseOverlappedForceFailsClosesTheStorage() {
        int objects = FileTransaction.OVERLAP_FORCE_RECORDS * 2; // forced on the log's forcer thread
        StorageOptions options = StorageOptions.builder().indexCapacity(1_000).build();
        Path dir = tmp.resolve("large");
        FaultyLogIo io = new FaultyLogIo();
        MappedFileStorage storage = MappedFileStorage.open(dir, options, io);
        try {
            commitLarge(storage, objects, "a");
            io.failAt(1, false, EnumSet.of(FaultyLogIo.Op.FORCE));
            assertThrows(StorageException.class, () -> commitLarge(storage, objects, "b"));
            assertEquals(1, io.fired());
            assertTrue(storage.hooks().isClosed(), "a failed force closes the storage");
        } finally {
            storage.close();
        }
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, options)) {
            String first = new String(reopened.load(1).data(), StandardCharsets.UTF_8);
            assertTrue(first.equals("a") || first.equals("b"), first);
            for (long oid = 1; oid <= objects; oid++) {
                assertEquals(first, new String(reopened.load(oid).data(), StandardCharsets.UTF_8),
                        "the failed commit is wholly present or wholly absent: oid " + oid);
            }
        }
    }

    /** Writes {@code value} into oids 1..objects in one transaction. */
    private static void commitLarge(MappedFileStorage storage, int objects, String value) {
        while (storage.hooks().peekNextOid() <= objects) {
            storage.newOid();
        }
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        for (long oid = 1; oid <= objects; oid++) {
            Revision current = storage.load(oid);
            txn.store(oid, current == null ? Storage.NO_TID : current.tid(), value.getBytes(StandardCharsets.UTF_8));
        }
        txn.vote();
        txn.finish();
    }

    @Test
    void aFailedBackgroundForceClosesADeferredStorage() throws InterruptedException {
        StorageOptions options = StorageOptions.builder().durability(StorageOptions.Durability.DEFERRED)
                .flushIntervalMillis(1).indexCapacity(1_000).build();
        Path dir = tmp.resolve("deferred");
        FaultyLogIo io = new FaultyLogIo();
        Map<Long, String> acknowledged = new TreeMap<>();
        MappedFileStorage storage = MappedFileStorage.open(dir, options, io);
        try {
            for (long oid = 1; oid < OBJECTS; oid++) {
                storage.newOid();
            }
            io.failAt(1, true, EnumSet.of(FaultyLogIo.Op.FORCE));
            try {
                commitRound(storage, 1, acknowledged); // returns before the force, as DEFERRED promises
            } catch (StorageException e) {
                // unless the flusher failed between the commit point and the return: the commit is in doubt
            }
            for (int i = 0; i < 10_000 && !storage.hooks().isClosed(); i++) {
                Thread.sleep(1); // waits for the flusher's event; no timing is asserted
            }
            assertTrue(storage.hooks().isClosed(), "the flusher's failed force closed the storage");
            assertEquals(1, io.fired(), "the closing storage did not force again after the failure");
        } finally {
            storage.close();
        }
        Map<Long, String> attempted = new TreeMap<>();
        for (long oid = 0; oid < OBJECTS; oid++) {
            attempted.put(oid, "r1-" + oid);
        }
        assertRecovers(dir, options, "deferred", new TreeMap<>(), attempted);
    }

    /**
     * Opens {@code dir}: its state must be {@code before} or {@code after}; then a new commit must succeed and
     * survive a reopen.
     */
    private static void assertRecovers(Path dir, StorageOptions options, String where, Map<Long, String> before,
                                       Map<Long, String> after) {
        Map<Long, String> expected;
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, options)) {
            Map<Long, String> found = state(reopened);
            assertTrue(found.equals(before) || found.equals(after),
                    where + ": recovered " + found + ", expected " + before + " or " + after);
            expected = new TreeMap<>(found);
            commitRound(reopened, 5, expected);
        }
        try (MappedFileStorage reopened = MappedFileStorage.open(dir, options)) {
            assertEquals(expected, state(reopened), where + ": a commit after recovery is durable");
        }
    }

    /** Writes "r<round>-<oid>" into every object; adds the round's values to {@code into} once committed. */
    private static void commitRound(Storage storage, int round, Map<Long, String> into) {
        Map<Long, String> values = new HashMap<>();
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("u", "round " + round),
                ConflictResolver.NONE);
        try {
            for (long oid = 0; oid < OBJECTS; oid++) {
                Revision current = storage.load(oid);
                String value = "r" + round + "-" + oid;
                byte[] data = value.getBytes(StandardCharsets.UTF_8);
                txn.store(oid, current == null ? Storage.NO_TID : current.tid(), data);
                values.put(oid, value);
            }
            txn.vote();
        } catch (RuntimeException e) {
            txn.abort();
            throw e;
        }
        txn.finish();
        into.putAll(values);
    }

    private static Map<Long, String> state(Storage storage) {
        Map<Long, String> state = new TreeMap<>();
        for (long oid = 0; oid < OBJECTS; oid++) {
            Revision r = storage.load(oid);
            if (r != null) {
                state.put(oid, new String(r.data(), StandardCharsets.UTF_8));
            }
        }
        return state;
    }
}
