package org.jodb.storage.log;

import static org.jodb.storage.log.RecordCodec.*;

import java.nio.charset.StandardCharsets;

/**
 * A transaction record read back from a segment (FORMAT.md 3.2): its header fields and a walk over its
 * data records. {@link #check} decides whether the bytes at an offset are a complete, committed record.
 */
public final class TransactionView {

    /** Where the record starts. */
    public final long position;
    /** Its length in bytes, trailer included. */
    public final int length;
    public final long tid;
    public final long timeMillis;
    public final long prevTxn;
    public final long durableAt;
    public final long nextOid;
    public final int count;
    public final String user;
    public final String note;
    private final Segment segment;
    private final int offset;
    private final int dataStart;

    private TransactionView(Segment segment, int offset) {
        this.segment = segment;
        this.offset = offset;
        this.position = LogPosition.of(segment.id, offset);
        this.length = segment.getInt(offset + T_LENGTH);
        this.tid = segment.getLong(offset + T_TID);
        this.timeMillis = segment.getLong(offset + T_TIME);
        this.prevTxn = segment.getLong(offset + T_PREV_TXN);
        this.durableAt = segment.getLong(offset + T_DURABLE);
        this.nextOid = segment.getLong(offset + T_NEXT_OID);
        this.count = segment.getInt(offset + T_COUNT);
        int userLength = Short.toUnsignedInt(segment.getShort(offset + T_USER_LEN));
        int noteLength = Short.toUnsignedInt(segment.getShort(offset + T_NOTE_LEN));
        this.user = new String(segment.read(offset + TXN_HEADER_SIZE, userLength), StandardCharsets.UTF_8);
        this.note = new String(segment.read(offset + TXN_HEADER_SIZE + userLength, noteLength), StandardCharsets.UTF_8);
        this.dataStart = offset + firstDataOffset(userLength, noteLength);
    }

    /** Reads the record at {@code offset}; the caller knows it is a committed record. */
    public static TransactionView read(Segment segment, int offset) {
        return new TransactionView(segment, offset);
    }

    /** Receives each data record of a transaction. */
    @FunctionalInterface
    public interface RevisionVisitor {
        /**
         * @param position   where the data record starts (what the index stores)
         * @param prev       position of the previous revision, {@link LogPosition#NONE} or {@link LogPosition#PACKED}
         * @param dataLength the record's data length in bytes
         */
        void visit(long oid, long tid, long prev, long position, int dataLength);
    }

    public void forEachRevision(RevisionVisitor visitor) {
        int at = dataStart;
        for (int i = 0; i < count; i++) {
            int dataLength = segment.getInt(at + D_LENGTH);
            visitor.visit(segment.getLong(at + D_OID), segment.getLong(at + D_TID), segment.getLong(at + D_PREV),
                    LogPosition.of(segment.id, at), dataLength);
            at += DATA_HEADER_SIZE + dataLength;
        }
    }

    /** The oids of this transaction's data records, in record order. */
    public long[] oids() {
        long[] oids = new long[count];
        int[] i = {0};
        forEachRevision((oid, tid, prev, position, dataLength) -> oids[i[0]++] = oid);
        return oids;
    }

    /**
     * Whether the bytes at {@code offset} form a complete committed transaction record.
     *
     * @return {@code null} if they do, otherwise what is wrong (for messages)
     */
    public static String check(Segment segment, int offset) {
        int room = segment.capacity - offset;
        if (room < TXN_HEADER_SIZE + TRAILER_SIZE) {
            return "short record: only " + room + " bytes before the end of the segment";
        }
        if (segment.getInt(offset) != TXN_MAGIC) {
            return String.format("no transaction magic (found 0x%08x)", segment.getInt(offset));
        }
        int length = segment.getInt(offset + T_LENGTH);
        if (length < TXN_HEADER_SIZE + TRAILER_SIZE || length > room) {
            return "record length " + length + " out of range (" + room + " bytes left in segment)";
        }
        if (segment.getInt(offset + length - TRAILER_SIZE) != COMMIT_MAGIC) {
            return "no commit point: the trailer at offset " + (offset + length - TRAILER_SIZE)
                    + " does not hold the commit magic";
        }
        int stored = segment.getInt(offset + length - 4);
        int actual = segment.crc(offset, length - 4);
        if (stored != actual) {
            return String.format("CRC32C mismatch (stored 0x%08x, computed 0x%08x)", stored, actual);
        }
        // The CRC matched, so a structural mismatch means a writer bug, not a torn write.
        int count = segment.getInt(offset + T_COUNT);
        long at = offset + (long) firstDataOffset(Short.toUnsignedInt(segment.getShort(offset + T_USER_LEN)),
                Short.toUnsignedInt(segment.getShort(offset + T_NOTE_LEN)));
        long end = offset + (long) length - TRAILER_SIZE;
        int seen = 0;
        while (seen < count && at <= end - DATA_HEADER_SIZE) {
            int dataLength = segment.getInt((int) at + D_LENGTH);
            if (dataLength < 0) {
                break;
            }
            at += DATA_HEADER_SIZE + (long) dataLength;
            seen++;
        }
        if (count < 0 || seen != count || at != end) {
            return "data records do not fill the record exactly";
        }
        return null;
    }
}
