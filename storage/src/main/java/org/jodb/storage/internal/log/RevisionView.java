package org.jodb.storage.internal.log;

import static org.jodb.storage.internal.log.LogLayout.*;

import org.jodb.spi.CorruptStorageException;

/**
 * A data record read back from the log (FORMAT.md 3.3): one revision of one object.
 *
 * @param position    where the data record starts
 * @param oid         the object
 * @param tid         the transaction that wrote it
 * @param prev        the previous revision's position, {@link LogPosition#NONE} or {@link LogPosition#PACKED}
 * @param txnPosition where its transaction record starts
 * @param dataLength  the data's length in bytes
 */
public record RevisionView(Segment segment, long position, long oid, long tid, long prev, long txnPosition,
                           int dataLength) {

    /**
     * Reads the data record of {@code oid} at {@code position}, or returns {@code null} when its segment is
     * gone (a pack swapped the log meanwhile; the caller starts over from the index). The record is checked
     * before any of it is used (FORMAT.md invariant (10)): it lies inside the committed bytes of its segment;
     * it is a record of {@code oid}; its length keeps it inside the transaction record it names, which holds
     * the same tid and precedes it; its {@code prev} is older (invariant (9)); and it matches its own CRC32C
     * (FORMAT.md 3.3), whatever the size of its transaction: every load is checked completely.
     *
     * @throws org.jodb.spi.CorruptStorageException naming the file and offset when a check fails
     */
    public static RevisionView read(Log log, long position, long oid) {
        Segment s = log.segment(LogPosition.segment(position));
        if (s == null) {
            return null;
        }
        int length = check(s, log.committedEnd(), position, oid);
        int at = LogPosition.offset(position);
        return new RevisionView(s, position, oid, s.getLong(at + D_TID), s.getLong(at + D_PREV),
                LogPosition.of(s.id, s.getInt(at + D_TXN_OFFSET)), length);
    }

    /**
     * Checks the data record of {@code oid} at {@code position} in {@code s}, as {@link #read} describes, and
     * returns its data length: the allocation-free form of {@link #read} for loads, which then take
     * {@link #tidAt} and {@link #prevAt} straight from the segment
     * ({@link #checkedData} checks and copies in one pass).
     *
     * @param committedEnd the log's committed end, read once by the caller
     * @throws org.jodb.spi.CorruptStorageException naming the file and offset when a check fails
     */
    public static int check(Segment s, long committedEnd, long position, long oid) {
        int length = checkStructure(s, committedEnd, position, oid);
        int at = LogPosition.offset(position);
        int stored = s.getInt(at + D_CRC);
        int actual = s.dataRecordCrc(at, length);
        if (stored != actual) {
            throw crcMismatch(s, at, oid, length, stored, actual);
        }
        return length;
    }

    /**
     * The checks of {@link #check} but the CRC of the data: enough to tell whether an index entry names a record
     * of {@code oid} (its header, its transaction's header), at the cost of a few reads of lines a load of the
     * record has usually just touched. Damage inside the data is the log's, which loads report.
     *
     * @throws org.jodb.spi.CorruptStorageException naming the file and offset when a check fails
     */
    public static void checkHeader(Segment s, long committedEnd, long position, long oid) {
        checkStructure(s, committedEnd, position, oid);
    }

    /**
     * Checks the data record of {@code oid} at {@code position} as {@link #check} does and returns a copy of
     * its data: one copy out of the mapping, the CRC computed over that copy.
     *
     * @throws org.jodb.spi.CorruptStorageException naming the file and offset when a check fails
     */
    public static byte[] checkedData(Segment s, long committedEnd, long position, long oid) {
        int length = checkStructure(s, committedEnd, position, oid);
        int at = LogPosition.offset(position);
        byte[] data = s.read(at + DATA_HEADER_SIZE, length);
        int stored = s.getInt(at + D_CRC);
        int actual = s.dataRecordCrc(at, data);
        if (stored != actual) {
            throw crcMismatch(s, at, oid, length, stored, actual);
        }
        return data;
    }

    private static CorruptStorageException crcMismatch(Segment s, int at, long oid, int length, int stored, int actual) {
        return s.damaged(at, String.format("CRC32C mismatch of oid %d's data record (tid %d, %d bytes): stored"
                + " 0x%08x, computed 0x%08x", oid, s.getLong(at + D_TID), length, stored, actual));
    }

    /**
     * Checks that a data record's header at {@code position} would lie inside the committed bytes of {@code s},
     * so that its fields can be read ({@link #tidAt}) before the rest of {@link #check}.
     *
     * @throws org.jodb.spi.CorruptStorageException naming the file and offset when it would not
     */
    public static void requireInside(Segment s, long committedEnd, long position, long oid) {
        int at = LogPosition.offset(position);
        int limit = TransactionView.committedLimit(s, committedEnd);
        if (at < SEGMENT_HEADER_SIZE + TXN_HEADER_SIZE || at > limit - DATA_HEADER_SIZE - TRAILER_SIZE) {
            throw s.damaged(at, "a data record of oid " + oid + " is expected here, but the committed bytes of the"
                    + " segment end at offset " + limit);
        }
    }

    /** The structural checks of {@link #check}, all but the CRC; returns the data length. */
    private static int checkStructure(Segment s, long committedEnd, long position, long oid) {
        requireInside(s, committedEnd, position, oid);
        int at = LogPosition.offset(position);
        int limit = TransactionView.committedLimit(s, committedEnd);
        long found = s.getLong(at + D_OID);
        if (found != oid) {
            throw s.damaged(at, "the data record here is of oid " + found + ", not of oid " + oid);
        }
        long tid = s.getLong(at + D_TID);
        long prev = s.getLong(at + D_PREV);
        int txnOffset = s.getInt(at + D_TXN_OFFSET);
        int length = s.getInt(at + D_LENGTH);
        if (length < 0 || length > limit - at - DATA_HEADER_SIZE - TRAILER_SIZE) {
            throw s.damaged(at, "data length " + length + " of oid " + oid + " runs past the committed bytes of the"
                    + " segment (offset " + limit + ")");
        }
        if (prev != LogPosition.NONE && prev != LogPosition.PACKED && (prev < 0 || prev >= position)) {
            throw s.damaged(at, "oid " + oid + "'s previous revision is said to be at " + LogPosition.describe(prev)
                    + ", which is not before this one");
        }
        if (txnOffset < SEGMENT_HEADER_SIZE || txnOffset > at - TXN_HEADER_SIZE) {
            throw s.damaged(at, "oid " + oid + "'s record names its transaction at offset " + txnOffset
                    + ", which cannot hold it");
        }
        int txnLength = s.getInt(txnOffset + T_LENGTH);
        if (s.getInt(txnOffset + T_MAGIC) != TXN_MAGIC || s.getLong(txnOffset + T_TID) != tid
                || txnLength < TXN_HEADER_SIZE + TRAILER_SIZE || txnLength > limit - txnOffset
                || (long) at + DATA_HEADER_SIZE + length > (long) txnOffset + txnLength - TRAILER_SIZE) {
            throw s.damaged(at, "oid " + oid + "'s record (tid " + tid + ", " + length + " bytes) does not lie inside"
                    + " the transaction record it names at offset " + txnOffset);
        }
        return length;
    }

    /** The tid of the data record at {@code position}, which {@link #check} passed. */
    public static long tidAt(Segment s, long position) {
        return s.getLong(LogPosition.offset(position) + D_TID);
    }

    /** The {@code prev} of the data record at {@code position}, which {@link #check} passed. */
    public static long prevAt(Segment s, long position) {
        return s.getLong(LogPosition.offset(position) + D_PREV);
    }

    /** A copy of the {@code length} data bytes of the record at {@code position}, which {@link #check} passed. */
    static byte[] dataAt(Segment s, long position, int length) {
        return s.read(LogPosition.offset(position) + DATA_HEADER_SIZE, length);
    }

    /** A copy of the revision's bytes. */
    public byte[] data() {
        return dataAt(segment, position, dataLength);
    }

    /**
     * The transaction that wrote this revision, its header checked against the committed end of the log.
     *
     * @throws org.jodb.spi.CorruptStorageException when its header is implausible
     */
    public TransactionView transaction(long committedEnd) {
        return TransactionView.read(segment, LogPosition.offset(txnPosition), committedEnd);
    }
}
