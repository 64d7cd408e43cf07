package org.jodb.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;

/**
 * The durable file storage alone against its own speed targets, through the storage SPI with
 * 100-byte records (no object layer): inserts committed 1,000 at a time; durable single-thread commits of
 * 10 random updates beside the raw fsync rate, the two alternating commit by commit so that both meet the
 * same disk; 8 threads beside 1 thread in alternating slices; reopening a 1,000,000-object store (the
 * index is trusted, no log scan) and reading every object back. Every figure is the median of the rounds,
 * with min–max; ratios are taken per round, of figures measured in the same minutes. Run with
 * {@code --storage}.
 */
final class StorageAloneBenchmark {
    /** Records written per object: the size of a small serialized object. */
    private static final int RECORD = 100;
    private static final int INSERT_BATCH = 1_000;
    private static final int UPDATES_PER_COMMIT = 10;
    private static final int THREADS = 8;

    private final BenchOptions options;
    private final PrintStream log;
    private final int objects;
    private final int bigObjects;
    private final double sliceSeconds;
    private final byte[] payload = new byte[RECORD];

    StorageAloneBenchmark(BenchOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
        this.objects = options.accounts();
        this.bigObjects = options.accounts() * 10;
        this.sliceSeconds = options.quick() ? 0.3 : 1.0;
    }

    /** One figure per round. */
    private static final class Series {
        final List<Double> values = new ArrayList<>();

        void add(double v) {
            values.add(v);
        }

        double[] sorted() {
            double[] s = values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(s);
            return s;
        }

        double median() {
            double[] s = sorted();
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        String range(String format) {
            double[] s = sorted();
            return String.format(Locale.ROOT, format, s[0]) + "–" + String.format(Locale.ROOT, format, s[s.length - 1]);
        }
    }

    /** Runs every measurement and returns the markdown report. */
    String run() {
        Path root = options.dataDir().resolve("storage");
        PeerBenchmark.deleteRecursively(root);
        StorageOptions storeOptions = StorageOptions.builder()
                .indexCapacity(Math.max(objects, bigObjects) * 3L / 2).build();
        Series inserts = new Series();
        Series raw = new Series();
        Series single = new Series();
        Series singleShare = new Series();
        Series one = new Series();
        Series eight = new Series();
        Series scaling = new Series();
        Series open = new Series();
        Series reads = new Series();
        boolean[] trusted = {true};
        try {
            Files.createDirectories(root);
            Path dir = root.resolve("updates");
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                // Warm-up, not measured: the JIT compiles the insert and the update paths (without it the
                // first round's 1-thread commits ran at 67-69% of the raw force, the later ones at 80-83%).
                insertAll(root.resolve("warmup"), storeOptions, objects);
                try (MappedFileStorage s = MappedFileStorage.open(root.resolve("warmup"), storeOptions)) {
                    oneAndEight(s, pool, 0);
                }
                PeerBenchmark.deleteRecursively(root.resolve("warmup"));
                for (int round = 0; round < options.rounds(); round++) {
                    inserts.add(insertAll(dir, storeOptions, objects));
                    try (MappedFileStorage s = MappedFileStorage.open(dir, storeOptions)) {
                        double[] pair = rawAndSingle(root, s, new Random(round));
                        raw.add(pair[0]);
                        single.add(pair[1]);
                        singleShare.add(pair[1] / pair[0]);
                        double[] slices = oneAndEight(s, pool, round);
                        one.add(slices[0]);
                        eight.add(slices[1]);
                        scaling.add(slices[1] / slices[0]);
                    }
                    log.printf(Locale.ROOT, "  round %d: inserts %,.0f/s; raw force %,.0f/s, 1 thread %,.0f commits/s"
                                    + " (%.0f%%); slices: 1 thread %,.0f, 8 threads %,.0f (%.2fx)%n", round + 1,
                            last(inserts), last(raw), last(single), 100 * last(singleShare), last(one), last(eight),
                            last(scaling));
                    PeerBenchmark.deleteRecursively(dir);
                }
            } finally {
                pool.shutdownNow();
            }
            Path big = root.resolve("big");
            try (MappedFileStorage s = MappedFileStorage.open(big, storeOptions)) {
                insert(s, bigObjects, 10_000);
            }
            for (int round = 0; round < options.rounds(); round++) {
                long t = System.nanoTime();
                try (MappedFileStorage s = MappedFileStorage.open(big, storeOptions)) {
                    open.add((System.nanoTime() - t) / 1e6);
                    trusted[0] &= s.openedFromIndex();
                    t = System.nanoTime();
                    long bytes = 0;
                    for (long oid = 1; oid <= bigObjects; oid++) {
                        bytes += s.load(oid).data().length;
                    }
                    reads.add(bigObjects / ((System.nanoTime() - t) / 1e9));
                    if (bytes != (long) bigObjects * RECORD) {
                        throw new IllegalStateException("read back " + bytes + " bytes from " + bigObjects
                                + " objects of " + RECORD + ": the store lost or changed a record");
                    }
                }
                log.printf(Locale.ROOT, "  reopen %,d objects: %.1f ms; read all: %,.0f objects/s%n", bigObjects,
                        last(open), last(reads));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            PeerBenchmark.deleteRecursively(root);
        }
        return report(inserts, raw, single, singleShare, one, eight, scaling, open, reads, trusted[0]);
    }

    private static double last(Series s) {
        return s.values.get(s.values.size() - 1);
    }

    private String report(Series inserts, Series raw, Series single, Series singleShare, Series one, Series eight,
                          Series scaling, Series open, Series reads, boolean trusted) {
        StringBuilder md = new StringBuilder("# The storage alone, against its targets\n\n");
        md.append(String.format(Locale.ROOT, "MappedFileStorage through the storage SPI (no object layer), %d-byte"
                        + " records, durability SYNC (every commit forced), %d rounds; median (min–max) of the"
                        + " rounds. Updates run on a store of %,d objects; the open and read figures on one of %,d."
                        + " Ratios are per round, of figures measured alternately in the same minutes: the raw"
                        + " force (write %d bytes into a file allocated beforehand, fdatasync) and a 1-thread commit alternate one by"
                        + " one; 1-thread and 8-thread slices of %.1f s alternate.%n%n", RECORD, options.rounds(),
                objects, bigObjects, RECORD, sliceSeconds));
        md.append("| measure | target | median | min–max | |\n|---|---|---:|---:|---|\n");
        row(md, String.format(Locale.ROOT, "inserts, %,d per commit (objects/s)", INSERT_BATCH), "≥ 500,000",
                inserts, "%,.0f", inserts.median() >= 500_000);
        row(md, "raw force rate (forces/s)", "", raw, "%,.0f", null);
        row(md, "1 thread, 10 random updates per commit (commits/s)", "", single, "%,.0f", null);
        row(md, "1 thread ÷ raw force rate", "≥ 80%", percent(singleShare), "%.0f%%",
                singleShare.median() >= 0.8);
        row(md, "1 thread, in the slices (commits/s)", "", one, "%,.0f", null);
        row(md, "8 threads, in the slices (commits/s)", "", eight, "%,.0f", null);
        row(md, "8 threads ÷ 1 thread", "≥ 3×", scaling, "%.2f×", scaling.median() >= 3);
        row(md, String.format(Locale.ROOT, "open a closed store of %,d objects (ms)%s", bigObjects,
                trusted ? "" : " — the index was NOT trusted (log scanned)"), "< 100 ms", open, "%.1f",
                trusted && open.median() < 100);
        row(md, String.format(Locale.ROOT, "read all %,d objects after that open (objects/s)", bigObjects),
                "≥ 1,000,000", reads, "%,.0f", reads.median() >= 1_000_000);
        md.append("\nThe open is cold for the store (closed, reopened, no log scan) but not for the OS: its files"
                + " are in the page cache.\n\n");
        return md.toString();
    }

    private static Series percent(Series fractions) {
        Series s = new Series();
        fractions.values.forEach(v -> s.add(100 * v));
        return s;
    }

    private static void row(StringBuilder md, String what, String target, Series s, String format, Boolean met) {
        md.append("| ").append(what).append(" | ").append(target).append(" | ")
                .append(String.format(Locale.ROOT, format, s.median())).append(" | ").append(s.range(format))
                .append(" | ").append(met == null ? "" : met ? "met" : "**missed**").append(" |\n");
    }

    /** Inserts {@code n} objects into a new store at {@code dir}; returns objects/s. */
    private double insertAll(Path dir, StorageOptions storeOptions, int n) {
        PeerBenchmark.deleteRecursively(dir);
        try (MappedFileStorage s = MappedFileStorage.open(dir, storeOptions)) {
            long t = System.nanoTime();
            insert(s, n, INSERT_BATCH);
            return n / ((System.nanoTime() - t) / 1e9);
        }
    }

    private void insert(Storage s, int n, int perCommit) {
        for (int i = 0; i < n; i += perCommit) {
            StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            for (int j = 0; j < perCommit && i + j < n; j++) {
                txn.store(s.newOid(), Storage.NO_TID, payload);
            }
            txn.vote();
            txn.finish();
        }
    }

    /** Bytes of the raw force probe's file, written in a ring. */
    private static final int PROBE_FILE = 8 << 20;

    /**
     * Raw forces and 1-thread commits, alternating one by one for two slices' time. The raw force writes
     * into a file allocated and forced beforehand, as the log's segments are: appending to a growing file
     * would make each fdatasync also journal the new length, a slower ceiling than the disk's.
     *
     * @return {raw forces/s, commits/s}
     */
    private double[] rawAndSingle(Path root, Storage s, Random random) throws IOException {
        Path file = root.resolve("fsync-probe.bin");
        try (FileChannel probe = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.DELETE_ON_CLOSE)) {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < PROBE_FILE; at += zeros.capacity()) {
                zeros.clear();
                while (zeros.hasRemaining()) {
                    probe.write(zeros, at + zeros.position());
                }
            }
            probe.force(true);
            ByteBuffer record = ByteBuffer.allocate(RECORD);
            long rawNanos = 0;
            long commitNanos = 0;
            long n = 0;
            long deadline = System.nanoTime() + (long) (2 * sliceSeconds * 1e9);
            while (System.nanoTime() < deadline) {
                long t = System.nanoTime();
                record.clear();
                probe.write(record, (n * RECORD) % PROBE_FILE);
                probe.force(false);
                long t2 = System.nanoTime();
                update(s, random);
                commitNanos += System.nanoTime() - t2;
                rawNanos += t2 - t;
                n++;
            }
            return new double[] {n / (rawNanos / 1e9), n / (commitNanos / 1e9)};
        }
    }

    /** 1-thread and 8-thread slices, alternating, 3 of each; returns {1-thread commits/s, 8-thread commits/s}. */
    private double[] oneAndEight(Storage s, ExecutorService pool, int round) {
        long[] commits = new long[2];
        long[] nanos = new long[2];
        for (int slice = 0; slice < 6; slice++) {
            int kind = (slice + round) % 2; // which goes first changes from round to round
            int threads = kind == 0 ? 1 : THREADS;
            long t = System.nanoTime();
            commits[kind] += slice(s, pool, threads, t + (long) (sliceSeconds * 1e9), round * 100 + slice);
            nanos[kind] += System.nanoTime() - t;
        }
        return new double[] {commits[0] / (nanos[0] / 1e9), commits[1] / (nanos[1] / 1e9)};
    }

    private long slice(Storage s, ExecutorService pool, int threads, long deadline, int seed) {
        List<Future<Long>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(seed * 31L + t);
            futures.add(pool.submit(() -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    update(s, random);
                    n++;
                }
                return n;
            }));
        }
        long total = 0;
        try {
            for (Future<Long> f : futures) {
                total += f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("a committer failed in the " + threads + "-thread slice", e);
        }
        return total;
    }

    /** One transaction of 10 random updates, retried on conflict. */
    private void update(Storage s, Random random) {
        while (true) {
            StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            for (int k = 0; k < UPDATES_PER_COMMIT; k++) {
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
}
