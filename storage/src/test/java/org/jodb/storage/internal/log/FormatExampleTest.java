package org.jodb.storage.internal.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps storage/FORMAT.md true: the worked example (section 10) is produced here by the real codec, must
 * equal the golden file {@code format/example-v2.hex} byte for byte, must appear verbatim in FORMAT.md, and
 * must read back through the real reader. FORMAT.md must also state the current format versions.
 * {@code -Djodb.format.regenerate=true} rewrites the golden file after a deliberate format change.
 */
class FormatExampleTest {

    static final long CREATED = 1_700_000_000_000L;
    static final long TID = CREATED << 20;
    private static final Path GOLDEN = Path.of("src/test/resources/format/example-v2.hex");
    private static final Path FORMAT_MD = Path.of("FORMAT.md");

    @TempDir
    Path tmp;

    /** Segment 1 (4,096 bytes) holding one transaction by "alice" that writes oid 0 and oid 1. */
    static byte[] example() {
        byte[] header = LogLayout.encodeSegmentHeader(1, 4096, CREATED);
        byte[] txn = LogLayout.encodeTransaction(
                new LogLayout.TxnHeader(TID, CREATED, LogPosition.NONE, LogPosition.of(1, 64), 2),
                "alice", "first", List.of(
                        new LogLayout.DataRecord(0, LogPosition.NONE, "root".getBytes(StandardCharsets.US_ASCII)),
                        new LogLayout.DataRecord(1, LogPosition.NONE, "hello".getBytes(StandardCharsets.US_ASCII))),
                LogLayout.SEGMENT_HEADER_SIZE);
        byte[] file = new byte[4096];
        System.arraycopy(header, 0, file, 0, header.length);
        System.arraycopy(txn, 0, file, header.length, txn.length);
        return file;
    }

    /** The used part of the example (header and transaction) as a hex dump, 16 bytes a line. */
    static String hexDump(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder();
        for (int line = 0; line < length; line += 16) {
            out.append(String.format("%08x ", line));
            StringBuilder ascii = new StringBuilder();
            for (int i = line; i < line + 16; i++) {
                if (i < length) {
                    out.append(String.format(" %02x", bytes[i]));
                    char c = (char) (bytes[i] & 0xff);
                    ascii.append(c >= 0x20 && c < 0x7f ? c : '.');
                } else {
                    out.append("   ");
                }
            }
            out.append("  |").append(ascii).append("|\n");
        }
        return out.toString();
    }

    private static int usedLength(byte[] file) {
        return LogLayout.SEGMENT_HEADER_SIZE + ByteBuffer.wrap(file).getInt(LogLayout.SEGMENT_HEADER_SIZE + 4);
    }

    @Test
    void exampleMatchesTheGoldenFileAndFormatMd() throws IOException {
        byte[] file = example();
        String dump = hexDump(file, usedLength(file));
        if (Boolean.getBoolean("jodb.format.regenerate")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, dump);
        }
        assertEquals(Files.readString(GOLDEN), dump, "the codec no longer writes " + GOLDEN);
        String format = Files.readString(FORMAT_MD);
        assertTrue(format.contains(dump), "FORMAT.md section 10 must show the dump of " + GOLDEN + " verbatim");
    }

    @Test
    void formatMdStatesTheCurrentVersions() throws IOException {
        String format = Files.readString(FORMAT_MD);
        assertTrue(format.contains("FORMAT_WRITE_VERSION = " + LogLayout.FORMAT_WRITE_VERSION),
                "FORMAT.md must state FORMAT_WRITE_VERSION = " + LogLayout.FORMAT_WRITE_VERSION);
        assertTrue(format.contains("FORMAT_READ_VERSION = " + LogLayout.FORMAT_READ_VERSION),
                "FORMAT.md must state FORMAT_READ_VERSION = " + LogLayout.FORMAT_READ_VERSION);
    }

    @Test
    void exampleReadsBackThroughTheRealReader() throws IOException {
        Path file = Files.write(tmp.resolve(Segment.fileName(1)), example());
        Segment segment = Segment.open(file, 1);
        try {
            assertNull(TransactionView.check(segment, 64));
            TransactionView txn = TransactionView.read(segment, 64);
            assertEquals(TID, txn.tid);
            assertEquals(CREATED, txn.timeMillis);
            assertEquals("alice", txn.user);
            assertEquals("first", txn.note);
            assertEquals(2, txn.nextOid);
            assertArrayEquals(new long[]{0, 1}, txn.oids());
            List<String> data = new ArrayList<>();
            txn.forEachRevision((oid, tid, prev, position, length) -> {
                int at = LogPosition.offset(position);
                data.add(new String(segment.read(at + LogLayout.DATA_HEADER_SIZE, length),
                        StandardCharsets.US_ASCII));
                // FORMAT.md 3.3: the record's CRC32C covers bytes 0-31 of it, then its data
                CRC32C crc = new CRC32C();
                crc.update(segment.read(at, 32));
                crc.update(segment.read(at + 36, length));
                assertEquals((int) crc.getValue(), segment.getInt(at + 32), "data record CRC of oid " + oid);
                assertEquals(length, RevisionView.check(segment, LogPosition.of(1, 4096), position, oid));
            });
            assertEquals(List.of("root", "hello"), data);
            assertEquals(0, segment.getInt(usedLength(example())), "zeros follow the last record");
        } finally {
            segment.close();
        }
    }
}
