package org.jodb.storage.internal.recovery;

import static org.jodb.storage.internal.log.LogLayout.COMMIT_MAGIC;
import static org.jodb.storage.internal.log.LogLayout.DATA_HEADER_SIZE;
import static org.jodb.storage.internal.log.LogLayout.D_CRC;
import static org.jodb.storage.internal.log.LogLayout.D_LENGTH;
import static org.jodb.storage.internal.log.LogLayout.D_TXN_OFFSET;
import static org.jodb.storage.internal.log.LogLayout.END_MAGIC;
import static org.jodb.storage.internal.log.LogLayout.SEGMENT_HEADER_SIZE;
import static org.jodb.storage.internal.log.LogLayout.TRAILER_SIZE;
import static org.jodb.storage.internal.log.LogLayout.TXN_HEADER_SIZE;
import static org.jodb.storage.internal.log.LogLayout.TXN_MAGIC;
import static org.jodb.storage.internal.log.LogLayout.T_LENGTH;
import static org.jodb.storage.internal.log.LogLayout.T_PREV_TXN;
import static org.jodb.storage.internal.log.LogLayout.T_TID;

import java.nio.ByteBuffer;
import java.util.List;

import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;

/**
 * Judges the bytes where recovery's walk meets something that is not a complete transaction, an end marker or
 * the log's zero end (FORMAT.md 8, "the torn-tail rule"): either something later in the files proves that the
 * transaction there was written whole, so the bytes are damage inside the committed log, or they are at most
 * one transaction, the last, that nothing proves complete: a torn write, which may be cut.
 *
 * <p>Writes are serial (one commit lock) and a segment is named only after the one before it received its
 * last record, so anything written after the walk position proves the transaction there whole in the page
 * cache. The proofs, in the order they are looked for: a later complete record; {@code index.meta}'s last tid or
 * a pack finished at open; a later segment; an end marker closing the last segment (the next one is missing);
 * inside the bad bytes, the header or a checksummed data record of a later transaction, or a first record
 * whose own length and commit magic end it before the bad bytes do. When none is found the bytes must look like
 * one record: ending in a commit trailer that matches their length, or a header that is the next transaction's
 * or a torn write of it (each byte the expected one or zero, FORMAT.md 6) with nothing past its length.
 */
final class TailJudge {

    /**
     * Why the bad bytes are inside the committed log.
     *
     * @param text   the proof, for the refusal's message
     * @param forced whether it proves them forced to the device, not only written: then no power loss explains them
     */
    record Proof(String text, boolean forced) {
    }

    private TailJudge() {
    }

    /**
     * @param index   the segment of the bad bytes in {@code segments}
     * @param offset  where they start: the record boundary after the last complete transaction
     * @param lastTxn position of that transaction ({@code 0} if none)
     * @param lastTid its tid ({@code 0} if none)
     * @return the proof that the bytes are committed, or {@code null} when they may be cut as a torn tail
     */
    static Proof proof(List<Segment> segments, int index, int offset, long lastTxn, long lastTid,
                       DurableProof durable) {
        Segment segment = segments.get(index);
        long bad = LogPosition.of(segment.id, offset);
        long complete = completeRecordAfter(segments, index, offset);
        if (complete != 0) {
            Segment s = segmentOf(segments, complete);
            TransactionView later = TransactionView.read(s, LogPosition.offset(complete));
            boolean forced = later.durableAt > bad;
            return new Proof("the complete transaction " + later.tid + " at " + s.file + " offset "
                    + LogPosition.offset(complete) + " was written after it" + (forced ? " had been forced (its"
                    + " durableAt is " + LogPosition.describe(later.durableAt) + ")" : " was whole"), forced);
        }
        if (lastTid < durable.tid()) {
            return new Proof((durable.tid() == Long.MAX_VALUE ? "the whole log is durable: "
                    : "transaction " + durable.tid() + " follows it, which ") + durable.source(), true);
        }
        int end = segment.nonZeroEnd(offset);
        if (index < segments.size() - 1) {
            Segment next = segments.get(index + 1);
            if (end > offset) {
                return new Proof(next.file + " exists, and a segment is named only after every transaction of the"
                        + " one before it was written", false);
            }
            for (int i = index + 1; i < segments.size(); i++) {
                Segment later = segments.get(i);
                if (later.nonZeroEnd(SEGMENT_HEADER_SIZE) > SEGMENT_HEADER_SIZE) {
                    return new Proof(later.file + " holds records, which it receives only after this segment was"
                            + " closed with an end marker at this offset; the marker is gone", false);
                }
            }
            return null; // the next segment was named, the end marker not yet written: nothing follows
        }
        if (end - LogLayout.END_MARKER_SIZE > offset && segment.getInt(end - LogLayout.END_MARKER_SIZE) == END_MAGIC) {
            return new Proof("this segment ends with an end marker at offset " + (end - LogLayout.END_MARKER_SIZE)
                    + ", written only once the next segment, " + segment.file.resolveSibling(Segment.fileName(
                    segment.id + 1)) + ", existed; that file is missing", false);
        }
        String later = laterTransactionInside(segment, offset, end, bad);
        if (later != null) {
            return new Proof(later, false);
        }
        String shape = notOneRecord(segment, offset, end, lastTxn);
        return shape == null ? null : new Proof(shape, false);
    }

    /**
     * The first complete transaction record after the bad bytes, at any offset of their segment or a later one,
     * or 0: a record is complete only once its writer finished it, after every record before it.
     */
    private static long completeRecordAfter(List<Segment> segments, int index, int offset) {
        for (int i = index; i < segments.size(); i++) {
            Segment s = segments.get(i);
            int from = i == index ? offset + 1 : SEGMENT_HEADER_SIZE;
            for (int at = from; at <= s.capacity - TXN_HEADER_SIZE; at++) {
                if (s.getInt(at) == TXN_MAGIC && TransactionView.check(s, at) == null) {
                    return LogPosition.of(s.id, at);
                }
            }
        }
        return 0;
    }

    private static Segment segmentOf(List<Segment> segments, long position) {
        for (Segment s : segments) {
            if (s.id == LogPosition.segment(position)) {
                return s;
            }
        }
        throw new IllegalStateException("no segment for " + LogPosition.describe(position));
    }

    /**
     * Looks inside the bad bytes {@code [offset, end)} for a part of a later transaction: a transaction header
     * naming a predecessor at or after {@code offset}, or a data record that matches its own CRC32C and names
     * a transaction record after {@code offset} as its own.
     *
     * @return what was found, or {@code null}
     */
    private static String laterTransactionInside(Segment s, int offset, int end, long bad) {
        for (int at = offset + 1; at < end; at++) {
            if (at + T_PREV_TXN + 8 <= s.capacity && s.getInt(at) == TXN_MAGIC) {
                long prev = s.getLong(at + T_PREV_TXN);
                if (prev >= bad && prev < LogPosition.of(s.id, at)) {
                    return "a transaction header at offset " + at + " names " + LogPosition.describe(prev)
                            + " as the transaction before it: a transaction was written after this one";
                }
            }
            if (at + DATA_HEADER_SIZE <= end) {
                int txnOffset = s.getInt(at + D_TXN_OFFSET);
                int length = s.getInt(at + D_LENGTH);
                if (txnOffset > offset && txnOffset <= at - TXN_HEADER_SIZE && length >= 0
                        && length <= s.capacity - at - DATA_HEADER_SIZE
                        && s.dataRecordCrc(at, length) == s.getInt(at + D_CRC)) {
                    return "a data record at offset " + at + ", matching its own CRC32C, belongs to the transaction"
                            + " at offset " + txnOffset + ", written after this one";
                }
            }
        }
        return null;
    }

    /**
     * Whether the bad bytes {@code [offset, end)} cannot be one damaged or torn transaction record.
     *
     * @return why not, or {@code null} when they can
     */
    private static String notOneRecord(Segment s, int offset, int end, long lastTxn) {
        if (end - offset <= TXN_HEADER_SIZE + TRAILER_SIZE) {
            return null; // shorter than the smallest record: nothing can follow the one that starts here
        }
        int room = s.capacity - offset;
        int length = room >= T_LENGTH + 4 ? s.getInt(offset + T_LENGTH) : 0;
        boolean inRange = length >= TXN_HEADER_SIZE + TRAILER_SIZE && length <= room;
        int recordEnd = trailerEnd(s, offset, end);
        if (recordEnd > 0) {
            if (inRange && length == recordEnd - offset || crcMatchesWithLength(s, offset, recordEnd - offset)) {
                return null; // one record, damaged inside (or only in its length field)
            }
            if (inRange && s.getInt(offset + length - TRAILER_SIZE) == COMMIT_MAGIC) {
                return "its length " + length + " and the commit magic there end it at offset " + (offset + length)
                        + ", and more bytes follow up to offset " + recordEnd + ": a record was written after it";
            }
            return "its length field (" + length + ") does not reach the commit trailer that ends the bytes at offset "
                    + recordEnd + ", so they may hold more than one transaction";
        }
        if (!tornWriteOf(s, offset, lastTxn)) {
            return "its header is neither the transaction after " + LogPosition.describe(lastTxn) + " nor a torn"
                    + " write of it, and no commit trailer ends the bytes (offset " + end + "), so they may hold more"
                    + " than one transaction";
        }
        if (length > room) {
            return "its length " + length + " runs past the segment's end and no commit trailer ends the bytes"
                    + " (offset " + end + "), so they may hold more than one transaction";
        }
        if (inRange && end > offset + length) {
            return "bytes continue past its length " + length + " up to offset " + end
                    + ": something was written after it";
        }
        return null;
    }

    /**
     * Where a record ends whose commit trailer ends the bad bytes: the trailer's magic followed by a CRC whose
     * last bytes may be zero. {@code -1} when the bytes do not end so.
     */
    private static int trailerEnd(Segment s, int offset, int end) {
        for (int magic = end - TRAILER_SIZE; magic <= end - 4; magic++) {
            if (magic >= offset + TXN_HEADER_SIZE && magic + TRAILER_SIZE <= s.capacity
                    && s.getInt(magic) == COMMIT_MAGIC) {
                return magic + TRAILER_SIZE;
            }
        }
        return -1;
    }

    /** Whether the record at {@code offset}, given the length {@code length}, matches its CRC32C. */
    private static boolean crcMatchesWithLength(Segment s, int offset, int length) {
        if (length < TXN_HEADER_SIZE + TRAILER_SIZE || length > s.capacity - offset) {
            return false;
        }
        ByteBuffer record = ByteBuffer.wrap(s.read(offset, length));
        record.putInt(T_LENGTH, length);
        return record.getInt(length - 4) == LogLayout.crc(record.array(), 0, length - 4);
    }

    /**
     * Whether the header at {@code offset} is the next transaction's as far as it can be told, or a torn write
     * of it, where any byte may still be zero (FORMAT.md 6): the magic, and {@code prevTxn}, which must name
     * {@code lastTxn}.
     */
    private static boolean tornWriteOf(Segment s, int offset, long lastTxn) {
        byte[] magic = ByteBuffer.allocate(4).putInt(TXN_MAGIC).array();
        byte[] prev = ByteBuffer.allocate(8).putLong(lastTxn).array();
        for (int i = 0; i < magic.length && offset + i < s.capacity; i++) {
            byte b = s.getByte(offset + i);
            if (b != 0 && b != magic[i]) {
                return false;
            }
        }
        for (int i = 0; i < prev.length && offset + T_PREV_TXN + i < s.capacity; i++) {
            byte b = s.getByte(offset + T_PREV_TXN + i);
            if (b != 0 && b != prev[i]) {
                return false;
            }
        }
        return true;
    }

    /** What a cut of the bytes at {@code offset} drops, for the warning. */
    static String dropped(Segment s, int offset) {
        int end = s.nonZeroEnd(offset);
        String header = s.capacity - offset >= T_TID + 8 && s.getInt(offset) == TXN_MAGIC
                ? "transaction " + s.getLong(offset + T_TID) + " (the tid its damaged header holds)"
                : "bytes without a transaction header";
        return header + ", " + (end - offset) + " bytes (offsets " + offset + " to " + end + ")";
    }
}
