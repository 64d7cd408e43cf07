package org.jodb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
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
 *
 * <p>A second probe, {@link #measureMapped}, does the same through a memory-mapped file (write 100
 * bytes into the mapping, {@code MappedByteBuffer.force(offset, 100)}, i.e. msync), which is how jodb's
 * log forces a commit; the two side by side show what the choice of mmap costs per durable commit.
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

    /**
     * Writes 100 bytes at a time into a memory-mapped, pre-sized file and forces just that range, up
     * to {@code count} times or {@code capSeconds}.
     *
     * @return the latencies in nanoseconds, sorted
     */
    static long[] measureMapped(Path dir, int count, double capSeconds) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("msync-probe.bin");
            long[] latencies = new long[count];
            int n = 0;
            long deadline = System.nanoTime() + (long) (capSeconds * 1e9);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 100L * count);
                byte[] record = new byte[100];
                while (n < count && System.nanoTime() < deadline) {
                    int offset = n * 100;
                    record[0] = (byte) n;
                    long t0 = System.nanoTime();
                    map.put(offset, record);
                    map.force(offset, 100);
                    latencies[n++] = System.nanoTime() - t0;
                }
            } finally {
                Files.deleteIfExists(file);
            }
            long[] result = Arrays.copyOf(latencies, n);
            Arrays.sort(result);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("msync probe in " + dir + " failed", e);
        }
    }
}
