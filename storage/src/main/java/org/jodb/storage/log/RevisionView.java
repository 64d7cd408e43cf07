package org.jodb.storage.log;

import static org.jodb.storage.log.RecordCodec.*;

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
     * A transaction record up to this many bytes long has its CRC32C checked on every read of one of its
     * revisions (about 0.2 µs at 4 KiB); a longer one only gets the structural checks, because checking it
     * would cost each read of a small object in a large transaction as much as reading the whole transaction.
     * FORMAT.md invariant (10).
     */
    public static final int CRC_ON_READ_LIMIT = 4096;

    /**
     * Reads the data record of {@code oid} at {@code position}, or returns {@code null} when its segment is
     * gone (a pack swapped the log meanwhile; the caller starts over from the index). The record is checked
     * before any of it is used (FORMAT.md invariant (10)): it lies inside the committed bytes of its segment;
     * it is a record of {@code oid}; its length keeps it inside the transaction record it names, which holds
     * the same tid and precedes it; its {@code prev} is older (invariant (9)); and a transaction record of at
     * most {@link #CRC_ON_READ_LIMIT} bytes matches its CRC32C.
     *
     * @throws org.jodb.spi.CorruptStorageException naming the file and offset when a check fails
     */
    public static RevisionView read(Log log, long position, long oid) {
        Segment s = log.segment(LogPosition.segment(position));
        if (s == null) {
            return null;
        }
        int at = LogPosition.offset(position);
        int limit = TransactionView.committedLimit(s, log.committedEnd());
        if (at < SEGMENT_HEADER_SIZE + TXN_HEADER_SIZE || at > limit - DATA_HEADER_SIZE - TRAILER_SIZE) {
            throw s.damaged(at, "a data record of oid " + oid + " is expected here, but the committed bytes of the"
                    + " segment end at offset " + limit);
        }
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
        if (txnLength <= CRC_ON_READ_LIMIT) {
            int trailer = txnOffset + txnLength - TRAILER_SIZE;
            if (s.getInt(trailer) != COMMIT_MAGIC || s.getInt(trailer + 4) != s.crc(txnOffset, txnLength - 4)) {
                throw s.damaged(txnOffset, "CRC32C mismatch of the transaction record holding oid " + oid
                        + "'s revision at offset " + at);
            }
        }
        return new RevisionView(s, position, oid, tid, prev, LogPosition.of(s.id, txnOffset), length);
    }

    /** A copy of the revision's bytes. */
    public byte[] data() {
        return segment.read(LogPosition.offset(position) + DATA_HEADER_SIZE, dataLength);
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
