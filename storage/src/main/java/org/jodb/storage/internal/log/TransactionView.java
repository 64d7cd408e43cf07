package org.jodb.storage.internal.log;

import static org.jodb.storage.internal.log.LogLayout.*;

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

    /**
     * Reads a record that {@link #check} accepted (recovery): its bounds are checked against the segment only.
     *
     * @throws org.jodb.spi.CorruptStorageException when the header is implausible (see the other overload)
     */
    public static TransactionView read(Segment segment, int offset) {
        return read(segment, offset, LogPosition.of(segment.id, segment.capacity));
    }

    /**
     * Reads the committed record at {@code offset}, checking that its header is plausible: the magic, a length
     * that keeps the record inside the committed bytes of the segment (before {@code committedEnd}), user and
     * note lengths and a record count that fit inside it. The CRC is not checked here ({@link #verify}).
     *
     * @throws org.jodb.spi.CorruptStorageException naming the file and offset when a check fails
     */
    public static TransactionView read(Segment segment, int offset, long committedEnd) {
        int limit = committedLimit(segment, committedEnd);
        if (offset < SEGMENT_HEADER_SIZE || offset > limit - TXN_HEADER_SIZE - TRAILER_SIZE) {
            throw segment.damaged(offset, "a transaction record is expected here, but the committed bytes of the"
                    + " segment end at offset " + limit);
        }
        int magic = segment.getInt(offset + T_MAGIC);
        if (magic != TXN_MAGIC) {
            throw segment.damaged(offset, String.format("no transaction magic (found 0x%08x)", magic));
        }
        int length = segment.getInt(offset + T_LENGTH);
        if (length < TXN_HEADER_SIZE + TRAILER_SIZE || length > limit - offset) {
            throw segment.damaged(offset, "transaction length " + length + " out of range (" + (limit - offset)
                    + " committed bytes from here)");
        }
        int dataStart = firstDataOffset(Short.toUnsignedInt(segment.getShort(offset + T_USER_LEN)),
                Short.toUnsignedInt(segment.getShort(offset + T_NOTE_LEN)));
        int count = segment.getInt(offset + T_COUNT);
        if (dataStart > length - TRAILER_SIZE || count < 0
                || count > (length - TRAILER_SIZE - dataStart) / DATA_HEADER_SIZE) {
            throw segment.damaged(offset, "user, note or record count (" + count + ") do not fit the transaction's"
                    + " length " + length);
        }
        return new TransactionView(segment, offset);
    }

    /**
     * The offset up to which segment {@code s} holds committed bytes, given the log's committed end: its
     * capacity for a segment before the end's, the end's offset in the end's segment, nothing after it.
     */
    static int committedLimit(Segment s, long committedEnd) {
        int endSegment = LogPosition.segment(committedEnd);
        return s.id < endSegment ? s.capacity : s.id == endSegment ? LogPosition.offset(committedEnd) : 0;
    }

    /**
     * Checks the commit magic and the CRC32C over the whole record and that its data records fill it exactly
     * (what recovery checks, FORMAT.md 8).
     *
     * @throws org.jodb.spi.CorruptStorageException naming the file and offset when they do not match
     */
    public void verify() {
        String problem = check(segment, offset);
        if (problem != null) {
            throw segment.damaged(offset, "transaction record: " + problem);
        }
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

    /**
     * Visits the data records in order.
     *
     * @throws org.jodb.spi.CorruptStorageException when a data record's length runs past the transaction record
     */
    public void forEachRevision(RevisionVisitor visitor) {
        int at = dataStart;
        int end = offset + length - TRAILER_SIZE;
        for (int i = 0; i < count; i++) {
            int dataLength = at > end - DATA_HEADER_SIZE ? -1 : segment.getInt(at + D_LENGTH);
            if (dataLength < 0 || dataLength > end - at - DATA_HEADER_SIZE) {
                throw segment.damaged(at, "data record " + (i + 1) + " of " + count + " of the transaction at offset "
                        + offset + " runs past the transaction's end at offset " + end);
            }
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
     * Whether the bytes at {@code offset} form a complete committed transaction record: commit magic, the
     * transaction's CRC32C, data records that fill it exactly, each matching its own CRC32C (FORMAT.md 8).
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
            if (dataLength < 0 || dataLength > end - at - DATA_HEADER_SIZE) {
                break;
            }
            int storedRecord = segment.getInt((int) at + D_CRC);
            int actualRecord = segment.dataRecordCrc((int) at, dataLength);
            if (storedRecord != actualRecord) {
                return String.format("data record %d of %d at offset %d: CRC32C mismatch (stored 0x%08x, computed"
                        + " 0x%08x)", seen + 1, count, at, storedRecord, actualRecord);
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
