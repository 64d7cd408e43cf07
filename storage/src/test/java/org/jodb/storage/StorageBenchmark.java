package org.jodb.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;

/**
 * Rough numbers for the storage alone (not a test; run by hand):
 * {@code java <chronicle flags> -cp <test class path> org.jodb.storage.StorageBenchmark DIR [objects] [bigObjects]}.
 */
public final class StorageBenchmark {

    private StorageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int objects = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int big = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        StorageOptions options = StorageOptions.builder().indexCapacity(Math.max(objects, big) * 3L / 2).build();
        byte[] payload = new byte[100];

        Path dir = root.resolve("bench");
        long t0 = System.nanoTime();
        try (MappedFileStorage s = MappedFileStorage.open(dir, options)) {
            System.out.printf("first open (JVM cold, new store): %.1f ms%n", ms(t0));
            insert(s, objects, 1_000, payload); // warms the JIT up; not measured
        }
        StoreFiles.deleteTree(dir);
        // The disk of a shared machine changes speed from one second to the next, so rates that are
        // compared with each other are measured in alternating slices and summed per kind.
        double[] insertRates = new double[3];
        for (int r = 0; r < insertRates.length; r++) {
            StoreFiles.deleteTree(dir);
            try (MappedFileStorage s = MappedFileStorage.open(dir, options)) {
                long t = System.nanoTime();
                insert(s, objects, 1_000, payload);
                insertRates[r] = objects / sec(t);
            }
        }
        java.util.Arrays.sort(insertRates);
        System.out.printf("inserts, %d per commit: %,.0f objects/s (median of 3; min %,.0f, max %,.0f)%n", 1_000,
                insertRates[1], insertRates[0], insertRates[2]);
        try (MappedFileStorage s = MappedFileStorage.open(dir, options);
             FileChannel probe = FileChannel.open(root.resolve("fsync.probe"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE)) {
            // raw force and single-thread commit alternate one by one, so both meet the same disk
            int n = 2_000;
            double forceSeconds = 0;
            double singleSeconds = 0;
            Random random = new Random(42);
            ByteBuffer hundred = ByteBuffer.allocate(100);
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                hundred.clear();
                probe.write(hundred, (long) i * 100);
                probe.force(false);
                forceSeconds += sec(t);
                t = System.nanoTime();
                update(s, random, objects, payload);
                singleSeconds += sec(t);
            }
            double fsync = n / forceSeconds;
            double single = n / singleSeconds;
            System.out.printf("raw force rate (100-byte append + force): %,.0f/s%n", fsync);
            System.out.printf("1 thread, 10 random updates per commit (SYNC): %,.0f commits/s (%.0f%% of raw force,"
                    + " measured alternately)%n", single, 100 * single / fsync);
            // 1 and 8 threads alternate in slices
            int slices = 20;
            int perSlice = 160;
            double oneSeconds = 0;
            double eightSeconds = 0;
            for (int i = 0; i < slices; i++) {
                long t = System.nanoTime();
                updates(s, 1, perSlice, objects, payload);
                oneSeconds += sec(t);
                t = System.nanoTime();
                updates(s, 8, perSlice, objects, payload);
                eightSeconds += sec(t);
            }
            double one = slices * perSlice / oneSeconds;
            double eight = slices * perSlice / eightSeconds;
            System.out.printf("8 threads, same: %,.0f commits/s (%.1fx the %,.0f/s of 1 thread in alternate slices)%n",
                    eight, eight / one, one);
        }
        long t = System.nanoTime();
        try (MappedFileStorage s = MappedFileStorage.open(dir, options)) {
            System.out.printf("reopen %d objects: %.1f ms (index trusted: %s)%n", objects, ms(t), s.openedFromIndex);
            t = System.nanoTime();
            long bytes = 0;
            for (long oid = 1; oid <= objects; oid++) {
                bytes += s.load(oid).data().length;
            }
            System.out.printf("read all: %,.0f objects/s (%d bytes)%n", objects / sec(t), bytes);
        }
        Path bigDir = root.resolve("big");
        try (MappedFileStorage s = MappedFileStorage.open(bigDir, options)) {
            insert(s, big, 10_000, payload);
        }
        t = System.nanoTime();
        try (MappedFileStorage s = MappedFileStorage.open(bigDir, options)) {
            System.out.printf("reopen %,d objects: %.1f ms (index trusted: %s)%n", big, ms(t), s.openedFromIndex);
        }
        Files.delete(IndexFileOf.path(bigDir));
        t = System.nanoTime();
        try (MappedFileStorage s = MappedFileStorage.open(bigDir, options)) {
            System.out.printf("reopen %,d objects with the index deleted (rebuild from log): %.1f ms%n", big, ms(t));
        }
    }

    private static final class IndexFileOf {
        static Path path(Path dir) {
            return org.jodb.storage.index.OidIndex.file(dir, org.jodb.storage.index.IndexMeta.read(dir).generation());
        }
    }

    private static void insert(Storage s, int objects, int perCommit, byte[] payload) {
        for (int i = 0; i < objects; i += perCommit) {
            StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            for (int j = 0; j < perCommit && i + j < objects; j++) {
                txn.store(s.newOid(), Storage.NO_TID, payload);
            }
            txn.vote();
            txn.finish();
        }
    }

    /** One transaction of 10 random updates, retried on conflict. */
    private static void update(Storage s, Random random, int objects, byte[] payload) {
        while (true) {
            StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            for (int k = 0; k < 10; k++) {
                long oid = 1 + random.nextInt(objects);
                Revision r = s.load(oid);
                txn.store(oid, r.tid(), payload);
            }
            try {
                txn.vote();
                txn.finish();
                return;
            } catch (StorageConflictException e) {
                txn.abort();
            }
        }
    }

    private static void updates(Storage s, int threads, int txns, int objects, byte[] payload) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            futures.add(pool.submit(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < txns / threads; i++) {
                    update(s, random, objects, payload);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static double sec(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
