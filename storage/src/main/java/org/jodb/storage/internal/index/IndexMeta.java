package org.jodb.storage.internal.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

import org.jodb.spi.StorageException;

/**
 * The index's side file, {@code index.meta} (FORMAT.md 3.5): up to which log position the index file is
 * consistent, the counters that go with that point, and a fingerprint of the index file. Written "open" when
 * a store opens and "clean" at close once the log and the index file are forced; only a clean file lets the
 * next open skip the log scan (FORMAT.md invariant (6)), and only for an index file that matches the
 * fingerprint.
 *
 * @param clean       the store was closed cleanly after this was written
 * @param logEnd      position just after the last transaction the index reflects
 * @param lastTxn     position of that transaction ({@code 0} if none)
 * @param lastTid     its tid ({@code 0} if none)
 * @param nextOid     the next oid to hand out
 * @param capacity    the index file's Chronicle Map capacity, in entries (pages of oids)
 * @param count       oids in the index
 * @param generation  which index file ({@code index-<generation>.cm}) these numbers describe
 * @param fingerprint the index file's length and header checksum as it was closed; {@link IndexFingerprint#NONE}
 *                    while the store is open
 */
public record IndexMeta(boolean clean, long logEnd, long lastTxn, long lastTid, long nextOid, long capacity,
                        long count, int generation, IndexFingerprint fingerprint) {

    public static final String FILE_NAME = "index.meta";
    static final byte[] MAGIC = "jodb-idx".getBytes(StandardCharsets.US_ASCII);
    /**
     * 2 added the fingerprint (offsets 68-87); 3 describes an index file of pages of oids, its capacity counted
     * in pages (FORMAT.md 3.7). A file of an older version describes an index of another layout, and is read as
     * "rebuild".
     */
    static final short VERSION = 3;
    static final int SIZE = 92;
    private static final int CRC_OFFSET = SIZE - 4;

    /** Reads the side file; {@code null} when it is missing, torn or of another version (then rebuild). */
    public static IndexMeta read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) != SIZE) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (bytes.length != SIZE || !Arrays.equals(Arrays.copyOf(bytes, 8), MAGIC) || b.getShort(8) != VERSION
                    || b.getInt(CRC_OFFSET) != crc(bytes)) {
                return null;
            }
            return new IndexMeta(b.getShort(10) == 1, b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40),
                    b.getLong(48), b.getLong(56), b.getInt(64),
                    new IndexFingerprint(b.getLong(72), b.getLong(80), b.getInt(68)));
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes and forces the side file. */
    public void write(Path dir) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.put(MAGIC).putShort(VERSION).putShort((short) (clean ? 1 : 0)).putInt(0)
                .putLong(logEnd).putLong(lastTxn).putLong(lastTid).putLong(nextOid).putLong(capacity).putLong(count)
                .putInt(generation).putInt(fingerprint.headerCrc()).putLong(fingerprint.length())
                .putLong(fingerprint.headerSpan());
        b.putInt(CRC_OFFSET, crc(b.array()));
        b.clear();
        try (FileChannel ch = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.truncate(SIZE);
            ch.force(true);
        } catch (IOException e) {
            throw new StorageException("cannot write " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CRC_OFFSET);
        return (int) crc.getValue();
    }
}
