package org.jodb.storage.internal.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte layout of segment headers, transaction records, data records and end markers, exactly as
 * storage/FORMAT.md section 3 tables them. Everything is big-endian ({@link ByteBuffer}'s default). This
 * class is the only place that knows field offsets; it knows nothing of what the data bytes mean.
 */
public final class LogLayout {

    /** The oldest format version a reader must understand to read a store written now (FORMAT.md 4). */
    public static final short FORMAT_READ_VERSION = 2;
    /** The format version this code writes (FORMAT.md 4). */
    static final short FORMAT_WRITE_VERSION = 2;
    /**
     * The oldest format version this code reads: format 1 had no per-record CRC, and its data records are
     * 4 bytes shorter; a store written in it is refused (FORMAT.md 4).
     */
    static final short OLDEST_READABLE_VERSION = 2;

    /** First 8 bytes of every segment file: ASCII {@code jodb-log}. */
    static final byte[] SEGMENT_MAGIC = "jodb-log".getBytes(StandardCharsets.US_ASCII);
    /** Bytes before the first record of a segment. */
    public static final int SEGMENT_HEADER_SIZE = 64;

    /** First 4 bytes of a transaction record: ASCII {@code JTXR}. */
    public static final int TXN_MAGIC = 0x4A545852;
    /** First 4 bytes of the commit trailer, the commit point: ASCII {@code JCMT}. */
    public static final int COMMIT_MAGIC = 0x4A434D54;
    /** Written where the next record would go when a segment is closed for appends: ASCII {@code JEND}. */
    public static final int END_MAGIC = 0x4A454E44;

    /** Fixed part of a transaction header, in bytes (user and note follow). */
    public static final int TXN_HEADER_SIZE = 56;
    /** Fixed part of a data record, in bytes (the data follows). */
    public static final int DATA_HEADER_SIZE = 36;
    /** Commit magic plus CRC32C. */
    public static final int TRAILER_SIZE = 8;
    /** Room always kept free at the end of a segment for the end marker. */
    public static final int END_MARKER_SIZE = 4;

    // transaction header field offsets (FORMAT.md 3.2); public for recovery's judgement of damaged bytes
    public static final int T_MAGIC = 0, T_LENGTH = 4, T_TID = 8, T_TIME = 16, T_PREV_TXN = 24, T_DURABLE = 32,
            T_NEXT_OID = 40, T_COUNT = 48, T_USER_LEN = 52, T_NOTE_LEN = 54;
    // data record field offsets (FORMAT.md 3.3)
    public static final int D_OID = 0, D_TID = 8, D_PREV = 16, D_TXN_OFFSET = 24, D_LENGTH = 28, D_CRC = 32;
    // segment header field offsets (FORMAT.md 3.1)
    static final int S_READ_VERSION = 8, S_WRITE_VERSION = 10, S_ID = 12, S_CAPACITY = 16, S_HEADER_SIZE = 20,
            S_CREATED = 24, S_CRC = 60;

    private LogLayout() {
    }

    /** One revision to be written: its oid, the position of its previous revision, its bytes. */
    public record DataRecord(long oid, long prev, byte[] data) {
    }

    /** The fixed fields of a transaction record. */
    public record TxnHeader(long tid, long timeMillis, long prevTxn, long durableAt, long nextOid) {
    }

    /** Encoded size of a transaction record, including its trailer. */
    public static int transactionSize(byte[] user, byte[] note, List<DataRecord> records) {
        long size = TXN_HEADER_SIZE + user.length + note.length + TRAILER_SIZE;
        for (DataRecord r : records) {
            size += DATA_HEADER_SIZE + r.data().length;
        }
        if (size > Integer.MAX_VALUE - SEGMENT_HEADER_SIZE - END_MARKER_SIZE) {
            throw new IllegalArgumentException("transaction of " + size + " bytes exceeds the 2 GiB limit");
        }
        return (int) size;
    }

    /**
     * Encodes a whole transaction record, trailer included. {@code txnOffset} is where it will sit in its
     * segment (data records point back at it).
     */
    public static byte[] encodeTransaction(TxnHeader header, String user, String note, List<DataRecord> records,
                                           int txnOffset) {
        byte[] u = truncatedUtf8(user);
        byte[] n = truncatedUtf8(note);
        int size = transactionSize(u, n, records);
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(TXN_MAGIC).putInt(size).putLong(header.tid()).putLong(header.timeMillis())
                .putLong(header.prevTxn()).putLong(header.durableAt()).putLong(header.nextOid())
                .putInt(records.size()).putShort((short) u.length).putShort((short) n.length).put(u).put(n);
        for (DataRecord r : records) {
            int at = b.position();
            b.putLong(r.oid()).putLong(header.tid()).putLong(r.prev()).putInt(txnOffset)
                    .putInt(r.data().length).putInt(0).put(r.data());
            b.putInt(at + D_CRC, dataRecordCrc(b.array(), at, r.data().length));
        }
        b.putInt(COMMIT_MAGIC);
        b.putInt(crc(b.array(), 0, size - 4));
        return b.array();
    }

    /** The encoded user and note as stored (UTF-8, at most 65,535 bytes each). */
    public static byte[] truncatedUtf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 0xFFFF) {
            return bytes;
        }
        byte[] cut = new byte[0xFFFF];
        System.arraycopy(bytes, 0, cut, 0, cut.length);
        return cut;
    }

    /** Offset of the first data record inside a transaction record. */
    public static int firstDataOffset(int userLength, int noteLength) {
        return TXN_HEADER_SIZE + userLength + noteLength;
    }

    /**
     * The CRC32C of the data record at {@code at} in {@code bytes} with {@code dataLength} data bytes: over its
     * header up to the CRC field, then its data (FORMAT.md 3.3).
     */
    public static int dataRecordCrc(byte[] bytes, int at, int dataLength) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, at, D_CRC);
        crc.update(bytes, at + DATA_HEADER_SIZE, dataLength);
        return (int) crc.getValue();
    }

    public static int crc(byte[] bytes, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, to - from);
        return (int) crc.getValue();
    }

    /** A 64-byte segment header (FORMAT.md 3.1). */
    static byte[] encodeSegmentHeader(int id, int capacity, long createdMillis) {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_SIZE);
        b.put(SEGMENT_MAGIC).putShort(FORMAT_READ_VERSION).putShort(FORMAT_WRITE_VERSION).putInt(id)
                .putInt(capacity).putInt(SEGMENT_HEADER_SIZE).putLong(createdMillis);
        b.putInt(S_CRC, crc(b.array(), 0, S_CRC));
        return b.array();
    }
}
