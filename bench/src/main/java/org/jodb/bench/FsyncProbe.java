package org.jodb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The physical limit for durable commits: the latency of appending one small record (100 bytes) to a
 * file and forcing it ({@code FileChannel.force(false)}, fdatasync on Linux), measured on the same
 * disk as the stores. One thread cannot commit durably faster than 1 / this latency unless commits
 * share an fsync.
 */
final class FsyncProbe {
    private FsyncProbe() {
    }

    /**
     * Appends and forces up to {@code count} times or until {@code capSeconds} have passed.
     *
     * @return the latencies in nanoseconds, sorted
     */
    static long[] measure(Path dir, int count, double capSeconds) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("fsync-probe.bin");
            long[] latencies = new long[count];
            int n = 0;
            long deadline = System.nanoTime() + (long) (capSeconds * 1e9);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer record = ByteBuffer.allocate(100);
                while (n < count && System.nanoTime() < deadline) {
                    record.clear();
                    long t0 = System.nanoTime();
                    ch.write(record);
                    ch.force(false);
                    latencies[n++] = System.nanoTime() - t0;
                }
            } finally {
                Files.deleteIfExists(file);
            }
            long[] result = Arrays.copyOf(latencies, n);
            Arrays.sort(result);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("fsync probe in " + dir + " failed", e);
        }
    }
}
