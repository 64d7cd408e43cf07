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
        try (MappedFileStorage s = MappedFileStorage.open(dir, options)) {
            int slices = 6;
            int perSlice = 400;
            double forceSeconds = 0;
            double singleSeconds = 0;
            double eightSeconds = 0;
            StringBuilder perSliceRates = new StringBuilder("  slices (raw force / 1 thread / 8 threads, per s):");
            for (int i = 0; i < slices; i++) {
                long t = System.nanoTime();
                rawForces(root.resolve("fsync.probe"), perSlice);
                double f = sec(t);
                t = System.nanoTime();
                updates(s, 1, perSlice, objects, payload);
                double one = sec(t);
                t = System.nanoTime();
                updates(s, 8, perSlice, objects, payload);
                double many = sec(t);
                forceSeconds += f;
                singleSeconds += one;
                eightSeconds += many;
                perSliceRates.append(String.format(" %.0f/%.0f/%.0f", perSlice / f, perSlice / one, perSlice / many));
            }
            int n = slices * perSlice;
            double fsync = n / forceSeconds;
            double single = n / singleSeconds;
            double eight = n / eightSeconds;
            System.out.printf("raw force rate (100-byte append + force): %,.0f/s%n", fsync);
            System.out.printf("1 thread, 10 random updates per commit (SYNC): %,.0f commits/s (%.0f%% of raw force)%n",
                    single, 100 * single / fsync);
            System.out.printf("8 threads, same: %,.0f commits/s (%.1fx single)%n", eight, eight / single);
            System.out.println(perSliceRates);
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

    private static void updates(Storage s, int threads, int txns, int objects, byte[] payload) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            futures.add(pool.submit(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < txns / threads; i++) {
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
                            break;
                        } catch (StorageConflictException e) {
                            txn.abort();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    /** {@code n} times: append 100 bytes to a file and force it. */
    private static void rawForces(Path file, int n) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(100);
            for (int i = 0; i < n; i++) {
                b.clear();
                ch.write(b, (long) i * 100);
                ch.force(false);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static double sec(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
