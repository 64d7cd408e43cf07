package org.jodb.storage.internal.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** index.meta version 2 keeps the index file's fingerprint; a version-1 file means "rebuild", never an error. */
class IndexMetaTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReadsEveryFieldWithTheFingerprint() {
        IndexMeta meta = new IndexMeta(true, 1L << 32 | 4_000, 1L << 32 | 3_000, 77, 501, 4_000, 500, 3,
                new IndexFingerprint(163_840, 4_288, 0xCAFEBABE));
        meta.write(dir);
        assertEquals(meta, IndexMeta.read(dir));
        assertEquals(IndexMeta.SIZE, dir.resolve(IndexMeta.FILE_NAME).toFile().length());
    }

    /** The 72-byte layout of version 1, with a correct CRC of its own: read as "no side file". */
    @Test
    void aVersionOneFileMeansRebuild() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(72);
        b.put(IndexMeta.MAGIC).putShort((short) 1).putShort((short) 1).putInt(0).putLong(1L << 32 | 64)
                .putLong(0).putLong(0).putLong(1).putLong(1_000).putLong(0).putInt(1);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 68);
        b.putInt(68, (int) crc.getValue());
        Files.write(dir.resolve(IndexMeta.FILE_NAME), b.array());
        assertNull(IndexMeta.read(dir));
    }

    @Test
    void aFingerprintMatchesOnlyItsOwnFile() throws IOException {
        Path file = dir.resolve("index-00000001.cm");
        Files.write(file, "a chronicle header, then entries".getBytes());
        IndexFingerprint print = IndexFingerprint.of(file, 10);
        assertNull(print.mismatch(file));
        Files.write(file, "A chronicle header, then entries".getBytes());
        assertEquals("the CRC32C of its first 10 bytes is 0x" + String.format("%08x",
                IndexFingerprint.of(file, 10).headerCrc()) + ", index.meta recorded 0x"
                + String.format("%08x", print.headerCrc()), print.mismatch(file));
        Files.write(file, "a chronicle header, then entries and more".getBytes());
        assertEquals("it holds 41 bytes, index.meta recorded 32", print.mismatch(file));
        assertEquals("index.meta records no usable fingerprint of it", IndexFingerprint.NONE.mismatch(file));
    }
}
