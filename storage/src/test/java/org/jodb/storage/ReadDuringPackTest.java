package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Revision;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers (load, loadAt, history, transactionsAfter) run while one thread commits on 4 KiB segments (a
 * rollover every few commits, new oids growing the index) and another packs again and again, swapping log
 * and index under them: no reader ever sees a missing object, a counter going back, an out-of-order history
 * or transaction list, or any exception.
 */
class ReadDuringPackTest {

    private static final int COUNTERS = 8;
    private static final int COMMITS = 400;

    @TempDir
    Path dir;

    /** Every record refers to every counter: counters stay live, the other objects are garbage for pack. */
    private static final ReferenceFinder COUNTERS_LIVE = (data, oids) -> {
        for (long oid = 1; oid <= COUNTERS; oid++) {
            oids.accept(oid);
        }
    };

    private static int value(Revision r) {
        return Integer.parseInt(new String(r.data(), StandardCharsets.UTF_8).split(" ")[0]);
    }

    @Test
    void readersNeverSeeAPackOrRolloverHappen() throws Exception {
        StorageOptions options = StorageOptions.builder().segmentSize(4096).indexCapacity(1_000).build();
        try (MappedFileStorage storage = MappedFileStorage.open(dir, options)) {
            StorageTransaction init = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            init.store(Storage.ROOT_OID, Storage.NO_TID, "root".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < COUNTERS; i++) {
                init.store(storage.newOid(), Storage.NO_TID, "0".getBytes(StandardCharsets.UTF_8));
            }
            init.vote();
            long firstTid = init.finish();
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger packs = new AtomicInteger();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < COMMITS; i++) {
                        long oid = 1 + i % COUNTERS;
                        Revision r = storage.load(oid);
                        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("w", "" + i),
                                ConflictResolver.NONE);
                        txn.store(oid, r.tid(), ((value(r) + 1) + " " + "x".repeat(i % 300))
                                .getBytes(StandardCharsets.UTF_8));
                        for (int g = 0; g < 3; g++) {
                            txn.store(storage.newOid(), Storage.NO_TID, new byte[20]);
                        }
                        txn.vote();
                        txn.finish();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.set(true);
                }
            });
            Thread packer = new Thread(() -> {
                try {
                    while (!done.get()) {
                        storage.pack(storage.lastTid(), COUNTERS_LIVE);
                        packs.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            Thread[] readers = new Thread[2];
            for (int t = 0; t < readers.length; t++) {
                readers[t] = new Thread(() -> read(storage, firstTid, done, failures));
            }
            writer.start();
            packer.start();
            for (Thread r : readers) {
                r.start();
            }
            writer.join();
            packer.join();
            for (Thread r : readers) {
                r.join();
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " failures, first: " + failures.peek());
                failures.forEach(error::addSuppressed);
                throw error;
            }
            assertTrue(packs.get() > 0);
            int total = 0;
            for (long oid = 1; oid <= COUNTERS; oid++) {
                total += value(storage.load(oid));
            }
            assertEquals(COMMITS, total);
        }
    }

    private static void read(MappedFileStorage storage, long firstTid, AtomicBoolean done, Queue<Throwable> failures) {
        int[] seen = new int[COUNTERS + 1];
        try {
            while (!done.get()) {
                for (long oid = 1; oid <= COUNTERS; oid++) {
                    long tid = storage.lastTid();
                    Revision now = storage.load(oid);
                    int v = value(now);
                    if (v < seen[(int) oid]) {
                        throw new AssertionError("oid " + oid + " went back from " + seen[(int) oid] + " to " + v);
                    }
                    seen[(int) oid] = v;
                    try {
                        Revision at = storage.loadAt(oid, tid);
                        if (at == null || at.tid() > tid || value(at) > v) {
                            throw new AssertionError("loadAt(" + oid + ", " + tid + ") gave " + at);
                        }
                    } catch (StorageException e) {
                        // documented: a pack with a later packTid may have removed the revision as of tid
                        if (!e.getMessage().contains("was removed by pack")) {
                            throw e;
                        }
                    }
                    List<RevisionInfo> history = storage.history(oid, 4);
                    if (history.isEmpty() || history.get(0).tid() < now.tid()) {
                        throw new AssertionError("history of " + oid + " misses its revision " + now.tid());
                    }
                    for (int i = 1; i < history.size(); i++) {
                        if (history.get(i).tid() >= history.get(i - 1).tid()) {
                            throw new AssertionError("history of " + oid + " out of order: " + history);
                        }
                    }
                }
                List<CommittedTransaction> after = storage.transactionsAfter(firstTid);
                for (int i = 1; i < after.size(); i++) {
                    if (after.get(i).tid() <= after.get(i - 1).tid()) {
                        throw new AssertionError("transactionsAfter out of order at " + i);
                    }
                }
            }
        } catch (Throwable e) {
            failures.add(e);
        }
    }
}
