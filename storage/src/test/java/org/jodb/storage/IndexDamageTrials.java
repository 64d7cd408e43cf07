package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Revision;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;

/**
 * Test support for the index damage trials: a seed store, what an undamaged copy of it reads, and one trial
 * per damage: copy the seed, damage one file of the copy, open it, read every oid it ever handed out and
 * compare with the undamaged reading, then commit once more and read that back.
 *
 * <p>Offsets of the last 4 KiB of a file are taken every {@link #STRIDE}-th byte (the last byte always);
 * {@code -Djodb.indexDamage.stride=1} runs every offset (by hand: about ten times as long).
 */
public final class IndexDamageTrials {

    /** Every how many bytes of a file's last 4 KiB a trial damages (1 = every offset). */
    public static final int STRIDE = Integer.getInteger("jodb.indexDamage.stride", 64);

    /**
     * A hang guard, not a speed goal: Chronicle Map's waits on a damaged file last a minute (its ready bit and
     * segment lock timeouts); a trial normally takes milliseconds. Turns such a stall into a failure naming
     * the trial instead of a suite that runs for hours.
     */
    private static final Duration HANG_GUARD = Duration.ofSeconds(40);

    /**
     * jodb's logger, quietened while trials run (each rebuild warns once; hundreds of trials would flood the
     * build's output). Held here: java.util.logging keeps loggers only weakly.
     */
    private static final Logger STORAGE_LOG = Logger.getLogger(MappedFileStorage.class.getName());

    private final Path seed;
    private final Path work;
    private final StorageOptions options;
    /** What an undamaged copy reads for every oid below its next oid ({@code null}: no object). */
    private final Map<Long, byte[]> expected = new TreeMap<>();
    private int trials;

    /** How a trial damages a file. */
    @FunctionalInterface
    public interface Damage {
        void apply(Path file) throws IOException;
    }

    /** What a trial's open did. */
    public record Outcome(boolean openedFromIndex, int rebuilds) {
    }

    public IndexDamageTrials(Path seed, Path work, StorageOptions options) throws IOException {
        this.seed = seed;
        this.work = work;
        this.options = options;
        copySeed();
        try (MappedFileStorage s = MappedFileStorage.open(work, options)) {
            for (long oid = 0; oid < s.hooks().peekNextOid(); oid++) {
                Revision r = s.load(oid);
                expected.put(oid, r == null ? null : r.data());
            }
        }
    }

    /** Objects the seed holds. */
    public long objects() {
        return expected.values().stream().filter(v -> v != null).count();
    }

    public int trials() {
        return trials;
    }

    /** The seed's files that jodb's index consists of: every {@code index-*.cm} and {@code index.meta}. */
    public List<String> indexFiles() throws IOException {
        try (Stream<Path> files = Files.list(seed)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.equals("index.meta") || n.matches("index-\\d{8}\\.cm")).sorted().toList();
        }
    }

    public long size(String file) throws IOException {
        return Files.size(seed.resolve(file));
    }

    /** Offsets of the last 4 KiB of {@code file} (all of a shorter file), every {@link #STRIDE}-th and the last. */
    public List<Long> lastFourKiB(String file) throws IOException {
        long size = size(file);
        List<Long> offsets = new ArrayList<>();
        for (long at = Math.max(0, size - 4096); at < size; at += STRIDE) {
            offsets.add(at);
        }
        if (!offsets.contains(size - 1)) {
            offsets.add(size - 1);
        }
        return offsets;
    }

    public static Damage flip(long offset) {
        return file -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
                ch.read(b, offset);
                b.put(0, (byte) (b.get(0) ^ 0xFF)).clear();
                ch.write(b, offset);
            }
        };
    }

    public static Damage truncate(long offset) {
        return file -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(offset);
            }
        };
    }

    public static Damage replaceWith(byte[] bytes) {
        return file -> Files.write(file, bytes);
    }

    public static Damage delete() {
        return Files::delete;
    }

    /**
     * One trial: damages {@code file} in a fresh copy of the seed, opens it, checks every oid's bytes and one
     * more commit, and closes it.
     */
    public Outcome run(String file, Damage damage, String what) throws IOException {
        copySeed();
        damage.apply(work.resolve(file));
        trials++;
        Level level = STORAGE_LOG.getLevel();
        STORAGE_LOG.setLevel(Level.SEVERE);
        try {
            return trial(what);
        } finally {
            STORAGE_LOG.setLevel(level);
        }
    }

    private Outcome trial(String what) {
        return assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (MappedFileStorage s = MappedFileStorage.open(work, options)) {
                long last = -1;
                for (Map.Entry<Long, byte[]> e : expected.entrySet()) {
                    Revision r = s.load(e.getKey());
                    if (e.getValue() == null) {
                        assertNull(r, what + ": oid " + e.getKey());
                    } else {
                        assertArrayEquals(e.getValue(), r.data(), what + ": oid " + e.getKey());
                        last = e.getKey();
                    }
                }
                assertFalse(last < 0, "the seed holds objects");
                long tid = s.load(last).tid();
                StorageTransaction txn = s.tpcBegin(new TransactionMetadata("trial", what), ConflictResolver.NONE);
                txn.store(last, tid, "after the damage".getBytes());
                txn.vote();
                long committed = txn.finish();
                assertEquals(committed, s.load(last).tid(), what);
                assertArrayEquals(expected.get(last), s.loadAt(last, tid).data(), what + ": the older revision");
                return new Outcome(s.openedFromIndex(), s.hooks().indexRebuilds());
            }
        }, () -> what + " stalled");
    }

    private void copySeed() throws IOException {
        StoreFiles.deleteTree(work);
        Files.createDirectories(work);
        try (Stream<Path> files = Files.list(seed)) {
            for (Path p : files.toList()) {
                Files.copy(p, work.resolve(p.getFileName()));
            }
        }
    }
}
