package org.jodb.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;

/**
 * The file storage's paths through its oid index, timed by the thread's CPU time so that two builds can be
 * compared on a busy machine: inserts of 100-byte records committed 1,000 at a time; after a close and a cold
 * open, a read of every object in oid order one {@code load} at a time, and again in batches of 1,000
 * ({@code loadAllAt}, what {@code Connection.prefetch} uses); and commits of 10 random updates. Durability
 * DEFERRED, so that no commit waits for a force (the flusher's forces run on its own thread, not timed).
 *
 * <p>It uses only the storage SPI, so the same class runs against an older build put after it on the class
 * path: {@code java $FLAGS -cp probe-classes:old.jar org.jodb.bench.IndexProbe [dir] [objects] [rounds]}.
 * Prints, per round, CPU ns per insert, per load, per batched load and µs per update commit, then the median
 * of the rounds after the first (the JIT's).
 */
public final class IndexProbe {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final byte[] PAYLOAD = new byte[100];

    private IndexProbe() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "bench/target").resolve("index-probe");
        int objects = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        StorageOptions options = StorageOptions.builder().durability(StorageOptions.Durability.DEFERRED).build();
        double[][] figures = new double[4][rounds];
        for (int round = 0; round < rounds; round++) {
            PeerBenchmark.deleteRecursively(root);
            Files.createDirectories(root);
            try (MappedFileStorage s = MappedFileStorage.open(root, options)) {
                figures[0][round] = cpu(() -> insert(s, objects)) / (double) objects;
            }
            try (MappedFileStorage s = MappedFileStorage.open(root, options)) {
                if (!s.openedFromIndex()) {
                    throw new IllegalStateException("the index was not trusted after a clean close");
                }
                figures[1][round] = cpu(() -> readInOrder(s, objects)) / (double) objects;
            }
            try (MappedFileStorage s = MappedFileStorage.open(root, options)) {
                figures[2][round] = cpu(() -> readInBatches(s, objects)) / (double) objects;
                Random random = new Random(round);
                int commits = 2_000;
                figures[3][round] = cpu(() -> {
                    for (int i = 0; i < commits; i++) {
                        update(s, random, objects);
                    }
                }) / (double) commits / 1_000;
            }
            System.out.printf(Locale.ROOT, "round %d: insert %.0f ns, load in oid order %.0f ns, batched load %.0f ns,"
                    + " commit of 10 updates %.1f µs%n", round + 1, figures[0][round], figures[1][round],
                    figures[2][round], figures[3][round]);
        }
        PeerBenchmark.deleteRecursively(root);
        System.out.printf(Locale.ROOT, "median of rounds 2-%d: insert %.0f ns, load in oid order %.0f ns, batched load"
                + " %.0f ns, commit of 10 updates %.1f µs (CPU time of the thread)%n", rounds, median(figures[0]),
                median(figures[1]), median(figures[2]), median(figures[3]));
    }

    private static long cpu(Runnable work) {
        long start = THREADS.getCurrentThreadCpuTime();
        work.run();
        return THREADS.getCurrentThreadCpuTime() - start;
    }

    private static double median(double[] values) {
        double[] rest = Arrays.copyOfRange(values, Math.min(1, values.length - 1), values.length);
        Arrays.sort(rest);
        return rest[rest.length / 2];
    }

    private static void insert(Storage s, int objects) {
        for (int done = 0; done < objects; done += 1_000) {
            StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            for (int i = done; i < Math.min(objects, done + 1_000); i++) {
                txn.store(s.newOid(), Storage.NO_TID, PAYLOAD);
            }
            txn.vote();
            txn.finish();
        }
    }

    private static void readInOrder(Storage s, int objects) {
        long bytes = 0;
        for (long oid = 1; oid <= objects; oid++) {
            bytes += s.load(oid).data().length;
        }
        check(bytes, objects);
    }

    private static void readInBatches(Storage s, int objects) {
        long bytes = 0;
        long tid = s.lastTid();
        for (long first = 1; first <= objects; first += 1_000) {
            long[] oids = new long[(int) Math.min(1_000, objects - first + 1)];
            for (int i = 0; i < oids.length; i++) {
                oids[i] = first + i;
            }
            for (Revision r : s.loadAllAt(oids, tid)) {
                bytes += r.data().length;
            }
        }
        check(bytes, objects);
    }

    private static void check(long bytes, int objects) {
        if (bytes != (long) objects * PAYLOAD.length) {
            throw new IllegalStateException("read back " + bytes + " bytes from " + objects + " objects");
        }
    }

    private static void update(Storage s, Random random, int objects) {
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        long[] oids = random.longs(10, 1, objects + 1).distinct().toArray();
        for (long oid : oids) {
            txn.store(oid, s.load(oid).tid(), PAYLOAD);
        }
        txn.vote();
        txn.finish();
    }
}
