package org.jodb.storage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.TransactionInfo;
import org.jodb.spi.TransactionRecords;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;

/**
 * The transactions after a tid, oldest first, read forward through the log one transaction at a time
 * ({@link Storage#transactions}): records follow each other in a segment, and a segment that holds no more (an
 * end marker, or zeros after its last record) continues at offset 64 of the next segment id (FORMAT.md 5).
 * The walk lists the transactions up to the last commit when it began.
 *
 * <p>Where it starts: at the log's first segment for a walk from the beginning, else at the oldest transaction
 * after the tid, found by following the chain of transaction records back from the newest (it costs the
 * transactions to be listed, not the store's size).
 *
 * <p>A pack during the walk: the walk holds the {@link Segment} it reads, whose committed bytes never change
 * and stay mapped after pack retires it; only the step to the next segment id can miss (pack deleted it, or
 * the id is in the gap before pack's output). The walk then starts over from the new log, after the last tid
 * it returned. Each transaction's CRC and its records' CRCs are checked before anything of it is returned.
 */
final class TransactionWalk implements Iterator<TransactionRecords> {

    private final Log log;
    private final LastCommit last;
    private final Lifecycle lifecycle;
    /** The newest tid the walk lists: the last commit when it began. */
    private final long upTo;
    /** The tid of the last transaction found (the walk's start at first). */
    private long after;
    /** Where the next transaction record may start; {@code null} until found or after a miss. */
    private Segment segment;
    private int offset;
    /** The transaction found by {@link #hasNext} and not yet returned. */
    private TransactionRecords found;

    TransactionWalk(Log log, LastCommit last, Lifecycle lifecycle, long afterTid) {
        this.log = log;
        this.last = last;
        this.lifecycle = lifecycle;
        this.upTo = last.tid();
        this.after = afterTid;
    }

    @Override
    public boolean hasNext() {
        lifecycle.checkOpen();
        if (found == null && after < upTo) {
            found = read();
        }
        return found != null;
    }

    @Override
    public TransactionRecords next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no transaction after tid " + after + " up to tid " + upTo);
        }
        TransactionRecords next = found;
        found = null;
        return next;
    }

    /** The next transaction after {@link #after} up to {@link #upTo}, or {@code null} when there is none. */
    private TransactionRecords read() {
        boolean restarted = false;
        while (true) {
            if (segment == null) {
                if (!start()) {
                    return null;
                }
                restarted = true;
            }
            long committedEnd = log.committedEnd();
            if (!recordAt(committedEnd)) {
                Segment following = log.segment(segment.id + 1);
                if (following == null) {
                    if (restarted && after < upTo && LogPosition.segment(committedEnd) == segment.id) {
                        return null; // the end of the log: pack dropped what was left up to upTo
                    }
                    segment = null; // pack removed the log we walked: start over after the last tid found
                    continue;
                }
                segment = following;
                offset = LogLayout.SEGMENT_HEADER_SIZE;
                continue;
            }
            TransactionView txn = TransactionView.read(segment, offset, committedEnd);
            if (txn.tid <= after) {
                // FORMAT.md invariant (1): tids grow along the log
                throw segment.damaged(offset, "transaction " + txn.tid + " follows transaction " + after
                        + " in the log");
            }
            if (txn.tid > upTo) {
                return null;
            }
            txn.verify();
            TransactionRecords records = recordsOf(txn);
            after = txn.tid;
            offset += txn.length;
            restarted = false;
            return records;
        }
    }

    /**
     * Whether a transaction record may start at {@link #offset} of {@link #segment}: its committed bytes reach
     * past a header there and hold the transaction magic (else: an end marker, zeros, or the log's end).
     */
    private boolean recordAt(long committedEnd) {
        int endSegment = LogPosition.segment(committedEnd);
        int limit = segment.id < endSegment ? segment.capacity
                : segment.id == endSegment ? LogPosition.offset(committedEnd) : 0;
        return offset <= limit - LogLayout.TXN_HEADER_SIZE - LogLayout.TRAILER_SIZE
                && segment.getInt(offset + LogLayout.T_MAGIC) == LogLayout.TXN_MAGIC;
    }

    /**
     * Finds the oldest transaction after {@link #after}: from the log's first segment for a walk from the
     * beginning, else back along the chain from the newest. Returns {@code false} when there is none.
     */
    private boolean start() {
        if (after == Storage.NO_TID) {
            List<Segment> ordered = log.ordered();
            segment = ordered.get(0);
            offset = LogLayout.SEGMENT_HEADER_SIZE;
            return true;
        }
        retry:
        while (true) {
            Segment oldestSegment = null;
            int oldestOffset = 0;
            long position = last.position();
            long committedEnd = log.committedEnd();
            while (position != LogPosition.NONE) {
                Segment s = log.segment(LogPosition.segment(position));
                if (s == null) {
                    continue retry; // a pack swapped the log meanwhile
                }
                TransactionView txn = TransactionView.read(s, LogPosition.offset(position), committedEnd);
                if (txn.tid <= after) {
                    break;
                }
                if (txn.prevTxn < LogPosition.NONE || txn.prevTxn >= position) {
                    // FORMAT.md invariant (1); also keeps a damaged chain from looping
                    throw s.damaged(LogPosition.offset(position), "transaction " + txn.tid + " names "
                            + LogPosition.describe(txn.prevTxn) + " as the transaction before it");
                }
                oldestSegment = s;
                oldestOffset = LogPosition.offset(position);
                position = txn.prevTxn;
            }
            segment = oldestSegment;
            offset = oldestOffset;
            return oldestSegment != null;
        }
    }

    /** The transaction's header and records, in record order; the data copied out of the mapping. */
    private TransactionRecords recordsOf(TransactionView txn) {
        List<Revision> records = new ArrayList<>(txn.count);
        long[] oids = new long[txn.count];
        txn.forEachRevision((oid, tid, prev, position, dataLength) -> {
            if (tid != txn.tid) {
                throw segment.damaged(LogPosition.offset(position), "a data record of oid " + oid + " holds tid "
                        + tid + " inside transaction " + txn.tid);
            }
            oids[records.size()] = oid;
            records.add(new Revision(oid, tid,
                    segment.read(LogPosition.offset(position) + LogLayout.DATA_HEADER_SIZE, dataLength)));
        });
        return new TransactionRecords(new TransactionInfo(txn.tid, txn.timeMillis, txn.user, txn.note, oids),
                records);
    }
}
