package org.jodb.storage.internal.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * What {@code index.meta} records about a closed index file so that the next open can check the file before
 * Chronicle Map reads a byte of it (FORMAT.md 3.5, 5): its length, and a CRC32C of its first
 * {@code headerSpan} bytes, which hold Chronicle Map's self-describing header, its global state and every
 * segment header (with the segment locks). Chronicle Map waits up to a minute for a "ready" bit in that header
 * and for a segment lock a damaged file shows as held; a file whose prefix matches has neither problem. The
 * entries after the prefix are checked where they are used (an entry must name a record of its oid and tid).
 *
 * @param length     the file's length in bytes
 * @param headerSpan how many bytes from offset 0 the CRC covers
 * @param headerCrc  CRC32C of those bytes
 */
public record IndexFingerprint(long length, long headerSpan, int headerCrc) {

    /** Recorded when there is nothing to check (a store that is open, or an old side file): never matches. */
    public static final IndexFingerprint NONE = new IndexFingerprint(0, 0, 0);

    /** The fingerprint of {@code file} with a CRC over its first {@code headerSpan} bytes (at most its length). */
    static IndexFingerprint of(Path file, long headerSpan) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            long span = Math.min(headerSpan, length);
            return new IndexFingerprint(length, span, crc(ch, span));
        }
    }

    /**
     * Checks {@code file} against this fingerprint.
     *
     * @return {@code null} when it matches, otherwise what differs (for the warning)
     */
    String mismatch(Path file) {
        if (this.equals(NONE) || headerSpan <= 0 || headerSpan > length) {
            return IndexMeta.FILE_NAME + " records no usable fingerprint of it";
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size != length) {
                return "it holds " + size + " bytes, " + IndexMeta.FILE_NAME + " recorded " + length;
            }
            int crc = crc(ch, headerSpan);
            if (crc != headerCrc) {
                return String.format("the CRC32C of its first %d bytes is 0x%08x, %s recorded 0x%08x", headerSpan,
                        crc, IndexMeta.FILE_NAME, headerCrc);
            }
            return null;
        } catch (IOException e) {
            return "it cannot be read (" + e.getMessage() + ")";
        }
    }

    private static int crc(FileChannel ch, long span) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(1, span)));
        long at = 0;
        while (at < span) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), span - at));
            int read = ch.read(buffer, at);
            if (read < 0) {
                throw new IOException("the file ended at offset " + at + " while reading its first " + span + " bytes");
            }
            buffer.flip();
            crc.update(buffer);
            at += read;
        }
        return (int) crc.getValue();
    }
}
