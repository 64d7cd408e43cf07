package org.jodb.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Storage;
import org.jodb.spi.TransactionInfo;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;

/**
 * {@link Storage#transactionLog}: the committed transactions below a tid, newest first, read by walking the
 * chain of transaction records back from the newest through each header's {@code prevTxn} (FORMAT.md 3.2).
 * Each header gives the tid, time, user and note; its data records give the oids. A pack rewrote the log
 * with only the records it kept, so what the walk finds after a pack is what the storage still holds.
 *
 * <p>Takes no lock, like every read: a walk that meets a segment a pack removed meanwhile starts over from the
 * new head. The cost is one header per transaction at or after {@code beforeTid}, plus the oids of the ones
 * returned.
 */
final class TransactionLogWalk {

    private final Path dir;
    private final Log log;
    private final LastCommit last;
    private final Lifecycle lifecycle;

    TransactionLogWalk(Path dir, Log log, LastCommit last, Lifecycle lifecycle) {
        this.dir = dir;
        this.log = log;
        this.last = last;
        this.lifecycle = lifecycle;
    }

    List<TransactionInfo> before(long beforeTid, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max < 0: " + max + "; ask for 0 or more transactions");
        }
        retry:
        while (true) {
            List<TransactionInfo> found = new ArrayList<>();
            long head = last.position();
            long position = head;
            while (found.size() < max && position != LogPosition.NONE) {
                Segment segment = log.segment(LogPosition.segment(position));
                if (segment == null) {
                    if (head == last.position()) {
                        lifecycle.checkOpen();
                        throw new CorruptStorageException(dir + ": the transaction chain reaches "
                                + LogPosition.describe(position) + ", which is not part of the log.");
                    }
                    continue retry; // a pack swapped the log: its head names the new segments
                }
                TransactionView txn = TransactionView.read(segment, LogPosition.offset(position),
                        log.committedEnd());
                if (txn.prevTxn < LogPosition.NONE || txn.prevTxn >= position) {
                    // FORMAT.md invariant (1); also keeps a damaged chain from looping
                    throw segment.damaged(LogPosition.offset(position), "transaction " + txn.tid + " names "
                            + LogPosition.describe(txn.prevTxn) + " as the transaction before it");
                }
                if (txn.tid < beforeTid) {
                    found.add(new TransactionInfo(txn.tid, txn.timeMillis, txn.user, txn.note, txn.oids()));
                }
                position = txn.prevTxn;
            }
            return found;
        }
    }
}
