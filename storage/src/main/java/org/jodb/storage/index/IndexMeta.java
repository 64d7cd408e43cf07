package org.jodb.storage.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32C;

import org.jodb.spi.StorageException;

/**
 * The index's side file, {@code index.meta} (FORMAT.md 3.5): up to which log position the index file is
 * consistent, and the counters that go with that point. Written, and forced, "open" when a store opens and
 * "clean" at close once the log and the index file are forced; only a clean file lets a later boot of the
 * machine skip the log scan (FORMAT.md invariant (6)). While the store is open it is rewritten, unforced, at
 * checkpoints; after a process crash in the same boot of the machine (same {@code bootId}) the page cache
 * still holds the index exactly as the process left it, and only the log after the checkpoint is replayed.
 *
 * @param clean       the store was closed cleanly after this was written
 * @param logEnd      position just after the last transaction the index reflects
 * @param lastTxn     position of that transaction ({@code 0} if none)
 * @param lastTid     its tid ({@code 0} if none)
 * @param nextOid     the next oid to hand out
 * @param capacity    the index file's Chronicle Map capacity, in entries
 * @param count       oids in the index
 * @param generation  which index file ({@code index-<generation>.cm}) these numbers describe
 * @param durableTid  a tid known to be durable in the log when this was written (FORMAT.md invariant (7))
 * @param bootId      the machine's boot id when this was written, {@code null} where the OS has none
 */
public record IndexMeta(boolean clean, long logEnd, long lastTxn, long lastTid, long nextOid, long capacity,
                        long count, int generation, long durableTid, UUID bootId) {

    public static final String FILE_NAME = "index.meta";
    static final byte[] MAGIC = "jodb-idx".getBytes(StandardCharsets.US_ASCII);
    static final short VERSION = 2;
    static final int SIZE = 100;
    private static final int CRC_AT = SIZE - 4;
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /**
     * This boot of the machine (Linux: {@code /proc/sys/kernel/random/boot_id}), or {@code null} when the OS
     * does not say; then a crashed store's index is never trusted.
     */
    public static UUID currentBootId() {
        try {
            return UUID.fromString(Files.readString(BOOT_ID).trim());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether this was written during the current boot of the machine. */
    public boolean writtenThisBoot() {
        return bootId != null && bootId.equals(currentBootId());
    }

    /** Reads the side file; {@code null} when it is missing, torn or of another version (then rebuild). */
    public static IndexMeta read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) != SIZE) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (!Arrays.equals(Arrays.copyOf(bytes, 8), MAGIC) || b.getShort(8) != VERSION
                    || b.getInt(CRC_AT) != crc(bytes)) {
                return null;
            }
            long high = b.getLong(80);
            long low = b.getLong(88);
            return new IndexMeta(b.getShort(10) == 1, b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40),
                    b.getLong(48), b.getLong(56), b.getInt(64), b.getLong(72),
                    high == 0 && low == 0 ? null : new UUID(high, low));
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes and forces the side file. */
    public void write(Path dir) {
        write(dir, true);
    }

    /**
     * Writes the side file, forcing it if {@code force}. An unforced write is for checkpoints only: they are
     * trusted in the same boot alone, where the page cache holds them whether forced or not.
     */
    public void write(Path dir, boolean force) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.put(MAGIC).putShort(VERSION).putShort((short) (clean ? 1 : 0)).putInt(0)
                .putLong(logEnd).putLong(lastTxn).putLong(lastTid).putLong(nextOid).putLong(capacity).putLong(count)
                .putInt(generation).putInt(0).putLong(durableTid)
                .putLong(bootId == null ? 0 : bootId.getMostSignificantBits())
                .putLong(bootId == null ? 0 : bootId.getLeastSignificantBits());
        b.putInt(CRC_AT, crc(b.array()));
        b.clear();
        try (FileChannel ch = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.truncate(SIZE);
            if (force) {
                ch.force(true);
            }
        } catch (IOException e) {
            throw new StorageException("cannot write " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CRC_AT);
        return (int) crc.getValue();
    }
}
