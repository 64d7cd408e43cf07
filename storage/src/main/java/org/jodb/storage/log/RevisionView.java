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
     * Reads the data record at {@code position}, or returns {@code null} when its segment is gone (a pack
     * swapped the log meanwhile; the caller starts over from the index).
     */
    public static RevisionView read(Log log, long position) {
        Segment s = log.segment(LogPosition.segment(position));
        if (s == null) {
            return null;
        }
        int at = LogPosition.offset(position);
        return new RevisionView(s, position, s.getLong(at + D_OID), s.getLong(at + D_TID), s.getLong(at + D_PREV),
                LogPosition.of(s.id, s.getInt(at + D_TXN_OFFSET)), s.getInt(at + D_LENGTH));
    }

    /** A copy of the revision's bytes. */
    public byte[] data() {
        return segment.read(LogPosition.offset(position) + DATA_HEADER_SIZE, dataLength);
    }

    /** The transaction that wrote this revision. */
    public TransactionView transaction() {
        return TransactionView.read(segment, LogPosition.offset(txnPosition));
    }
}
