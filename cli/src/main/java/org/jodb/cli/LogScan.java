package org.jodb.cli;

import static org.jodb.storage.internal.log.LogLayout.END_MAGIC;
import static org.jodb.storage.internal.log.LogLayout.SEGMENT_HEADER_SIZE;
import static org.jodb.storage.internal.log.LogLayout.TXN_HEADER_SIZE;
import static org.jodb.storage.internal.log.LogLayout.TXN_MAGIC;
import static org.jodb.storage.internal.log.LogLayout.TRAILER_SIZE;
import static org.jodb.storage.internal.log.LogLayout.T_LENGTH;
import static org.jodb.storage.internal.log.LogLayout.T_TID;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.spi.StorageException;
import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.RevisionView;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;

/**
 * One read-only walk over a store's log (storage/FORMAT.md section 5's walk): every segment in id order,
 * every transaction record from offset 64, following end markers, until zeros. Each transaction is checked
 * as recovery checks it (commit magic, its CRC32C and every data record's), the chain of {@code prevTxn}
 * and the order of tids; what does not hold is reported as a problem naming the file and offset, and the
 * walk goes on where it can (after a damaged record whose length is readable, else at the next segment).
 * Nothing is written: the segments are mapped read-only, and no recovery or index repair runs.
 *
 * <p>The commands that only look ({@code stats}, {@code log}, {@code history}, {@code dump}) read a store
 * that another process has open too: its last transaction may then be half written, which the walk takes
 * for the end of the log instead of a problem ({@code live}).
 */
final class LogScan implements AutoCloseable {

    /** One committed transaction. */
    record Txn(long position, String file, int offset, long tid, long timeMillis, String user, String note,
               long[] oids) {
    }

    /** One data record: a revision of one object. */
    record Rev(long oid, long tid, long position, int length, long prev) {
    }

    final StoreDir store;
    final List<Segment> segments = new ArrayList<>();
    final List<Txn> transactions = new ArrayList<>();
    /** Every oid's revisions, oldest first; oids in the order first met. */
    final Map<Long, List<Rev>> revisions = new LinkedHashMap<>();
    /** The registry entries stored in the log (class names and field layouts), by oid. */
    final Map<Long, String> entries = new HashMap<>();
    final List<String> problems = new ArrayList<>();
    /** Whether a transaction record was damaged (the index is then not compared with the log). */
    boolean damagedTransactions;
    /** The positions of data records that do not match their own CRC32C (reported already). */
    final java.util.Set<Long> damagedRecords = new java.util.HashSet<>();
    /** Just after the last committed transaction read. */
    long logEnd;
    long lastTxn = LogPosition.NONE;
    long lastTid;
    long records;
    long recordBytes;
    private final Map<Integer, Segment> byId = new HashMap<>();

    private LogScan(StoreDir store) {
        this.store = store;
    }

    /**
     * Walks the whole log of {@code store}.
     *
     * @param live     the store is open in another process: a damaged last record is its commit in progress
     * @param progress told of the bytes walked
     */
    static LogScan of(StoreDir store, boolean live, Progress progress) {
        LogScan scan = new LogScan(store);
        try {
            scan.openSegments();
            scan.walk(live, progress);
        } catch (RuntimeException e) {
            scan.close();
            throw e;
        }
        return scan;
    }

    private void openSegments() {
        int expected = -1;
        for (Path file : store.segments) {
            int id = Segment.idOf(file);
            if (expected >= 0 && id != expected) {
                problems.add(store.path.resolve(Segment.fileName(expected)) + " is missing: segment ids jump from "
                        + (expected - 1) + " to " + id + ", so the transactions in between are lost. Restore the"
                        + " store from a backup.");
            }
            expected = id + 1;
            try {
                Segment s = Segment.open(file, id);
                segments.add(s);
                byId.put(id, s);
            } catch (StorageException e) {
                problems.add(e.getMessage());
                break; // nothing after an unreadable segment can be placed in the log
            }
        }
        if (segments.isEmpty()) {
            throw new UserError("no log segment of " + store.path + " can be read: " + String.join("; ", problems));
        }
        logEnd = LogPosition.of(segments.get(0).id, SEGMENT_HEADER_SIZE);
    }

    private void walk(boolean live, Progress progress) {
        long total = 0;
        for (Segment s : segments) {
            total += s.capacity;
        }
        progress.begin("reading the log", total, "bytes");
        long before = 0;
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            int offset = SEGMENT_HEADER_SIZE;
            boolean ended = false;
            while (!ended) {
                progress.at(before + offset);
                if (offset > s.capacity - 4) {
                    break; // the segment ends implicitly
                }
                int magic = s.getInt(offset);
                if (magic == END_MAGIC) {
                    if (i == segments.size() - 1) {
                        problems.add(s.file + " offset " + offset + ": the segment is closed by an end marker, but"
                                + " the next segment, " + Segment.fileName(s.id + 1) + ", is missing: its"
                                + " transactions are lost. Restore the store from a backup.");
                    }
                    break;
                }
                if (magic == 0) {
                    ended = true;
                    checkOnlyZerosAfter(s, offset, i, live);
                    break;
                }
                String damage = TransactionView.check(s, offset);
                if (damage != null) {
                    if (live && looksLikeTail(i)) {
                        ended = true; // a commit of the process that has the store open, being written
                        break;
                    }
                    offset = damaged(s, offset, damage);
                    if (offset < 0) {
                        break;
                    }
                    continue;
                }
                TransactionView t = TransactionView.read(s, offset);
                add(s, offset, t);
                offset += t.length;
            }
            before += s.capacity;
            if (ended) {
                break;
            }
        }
        progress.done();
    }

    /** Records a damaged transaction record; returns where the walk goes on in this segment, or -1 for the next. */
    private int damaged(Segment s, int offset, String damage) {
        String tid = "";
        if (s.getInt(offset) == TXN_MAGIC && offset + T_TID + 8 <= s.capacity) {
            tid = " (tid " + Ids.tid(s.getLong(offset + T_TID)) + " by its header)";
        }
        damagedTransactions = true;
        problems.add(s.file + " offset " + offset + tid + ": transaction record damaged: " + damage
                + ". Restore the store from a backup; the records of this transaction are not checked further.");
        int length = offset + T_LENGTH + 4 <= s.capacity ? s.getInt(offset + T_LENGTH) : -1;
        if (s.getInt(offset) == TXN_MAGIC && length >= TXN_HEADER_SIZE + TRAILER_SIZE && length <= s.capacity - offset) {
            if (damagedRecords(s, offset)) {
                // its structure reads: keep it in the chain, so that the transactions after it are checked
                // against it rather than reported as broken too
                add(s, offset, TransactionView.read(s, offset));
            }
            return offset + length;
        }
        problems.add(s.file + " offset " + offset + ": the record's length cannot be trusted, so the rest of this"
                + " segment is not read.");
        return -1;
    }

    /**
     * Names the data records of a damaged transaction that do not match their own CRC32C (the oids whose
     * state is damaged), or says that they all do (the damage is in the transaction's header or trailer).
     *
     * @return whether the transaction's data records can be told apart (its structure reads)
     */
    private boolean damagedRecords(Segment s, int offset) {
        List<String> bad = new ArrayList<>();
        try {
            TransactionView t = TransactionView.read(s, offset);
            t.forEachRevision((oid, tid, prev, position, dataLength) -> {
                int at = LogPosition.offset(position);
                if (s.getInt(at + LogLayout.D_CRC) != s.dataRecordCrc(at, dataLength)) {
                    damagedRecords.add(position);
                    bad.add(s.file + " offset " + at + ": oid " + oid + ", tid " + Ids.tid(tid) + ": its data record"
                            + " does not match its CRC32C: the object's state at this revision is damaged.");
                }
            });
        } catch (RuntimeException unreadable) {
            problems.add(s.file + " offset " + offset + ": the transaction's data records cannot be told apart: "
                    + unreadable.getMessage());
            return false;
        }
        if (bad.isEmpty()) {
            problems.add(s.file + " offset " + offset + ": every data record of the transaction matches its own"
                    + " CRC32C: the damage is in the transaction's header, user, note or trailer.");
        }
        problems.addAll(bad);
        return true;
    }

    /** In a live store, bad bytes are a commit being written when nothing follows them. */
    private boolean looksLikeTail(int index) {
        return index == segments.size() - 1;
    }

    private void checkOnlyZerosAfter(Segment s, int offset, int index, boolean live) {
        int end = s.nonZeroEnd(offset);
        if (end != offset && !live) {
            problems.add(s.file + " offset " + offset + ": the log ends here (zeros), but bytes that are not zero"
                    + " follow up to offset " + end + ": a damaged or lost transaction. Restore the store from a"
                    + " backup.");
        }
        for (int j = index + 1; j < segments.size(); j++) {
            Segment later = segments.get(j);
            if (later.nonZeroEnd(SEGMENT_HEADER_SIZE) != SEGMENT_HEADER_SIZE && !live) {
                problems.add(later.file + ": holds records after the log ended in " + s.file + " at offset " + offset
                        + ": the transactions between are lost. Restore the store from a backup.");
            }
        }
    }

    private void add(Segment s, int offset, TransactionView t) {
        if (t.prevTxn != lastTxn) {
            problems.add(s.file + " offset " + offset + " (tid " + Ids.tid(t.tid) + "): the transaction names its"
                    + " predecessor at " + LogPosition.describe(t.prevTxn) + ", but the one before it is at "
                    + (lastTxn == LogPosition.NONE ? "none (it is the first)" : LogPosition.describe(lastTxn))
                    + ": a transaction is missing or the segments were mixed. Restore the store from a backup.");
        }
        if (t.tid <= lastTid && lastTxn != LogPosition.NONE) {
            problems.add(s.file + " offset " + offset + " (tid " + Ids.tid(t.tid) + "): tid is not greater than the"
                    + " previous transaction's " + Ids.tid(lastTid) + ". Restore the store from a backup.");
        }
        List<Long> oids = new ArrayList<>();
        t.forEachRevision((oid, tid, prev, position, dataLength) -> {
            oids.add(oid);
            revisions.computeIfAbsent(oid, k -> new ArrayList<>()).add(new Rev(oid, t.tid, position, dataLength, prev));
            records++;
            recordBytes += dataLength;
            if (dataLength > 0 && s.getByte(LogPosition.offset(position) + LogLayout.DATA_HEADER_SIZE) == 2) {
                byte[] data = s.read(LogPosition.offset(position) + LogLayout.DATA_HEADER_SIZE, dataLength);
                if (ObjectRecordCodec.isEntryRecord(data)) {
                    entries.put(oid, ObjectRecordCodec.entryOf(data));
                }
            }
        });
        transactions.add(new Txn(t.position, s.file.getFileName().toString(), offset, t.tid, t.timeMillis, t.user,
                t.note, oids.stream().mapToLong(Long::longValue).toArray()));
        lastTxn = t.position;
        lastTid = t.tid;
        logEnd = LogPosition.of(s.id, offset + t.length);
    }

    /** The newest revision of {@code oid} at or before {@code tid}, or {@code null}. */
    Rev revisionAt(long oid, long tid) {
        List<Rev> list = revisions.get(oid);
        if (list == null) {
            return null;
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            if (Long.compareUnsigned(list.get(i).tid(), tid) <= 0) {
                return list.get(i);
            }
        }
        return null;
    }

    /** The newest revision of {@code oid}, or {@code null}. */
    Rev current(long oid) {
        List<Rev> list = revisions.get(oid);
        return list == null ? null : list.get(list.size() - 1);
    }

    /**
     * The data of a revision, checked against its CRC32C.
     *
     * @throws org.jodb.spi.CorruptStorageException naming the file and offset when it does not match
     */
    byte[] data(Rev r) {
        return RevisionView.checkedData(segment(r.position()), logEnd, r.position(), r.oid());
    }

    /** The file and offset of a position, for messages. */
    String where(long position) {
        Segment s = segment(position);
        return (s == null ? store.path.resolve(Segment.fileName(LogPosition.segment(position))) : s.file)
                + " offset " + LogPosition.offset(position);
    }

    private Segment segment(long position) {
        return byId.get(LogPosition.segment(position));
    }

    long logBytes() {
        long bytes = 0;
        for (Segment s : segments) {
            bytes += s.id < LogPosition.segment(logEnd) ? s.capacity : s.id == LogPosition.segment(logEnd)
                    ? LogPosition.offset(logEnd) : SEGMENT_HEADER_SIZE;
        }
        return bytes;
    }

    long segmentBytes() {
        long bytes = 0;
        for (Segment s : segments) {
            bytes += s.capacity;
        }
        return bytes;
    }

    @Override
    public void close() {
        for (Segment s : segments) {
            s.close();
        }
    }
}
