package org.jodb.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Storage;
import org.jodb.spi.TransactionRecords;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;

/**
 * What changed after a tid ({@link Storage#transactionsAfter}): the newest commits from memory
 * ({@link RecentCommits}), older ones by walking the chain of transaction records back from the newest. A walk
 * that meets a segment a pack removed meanwhile starts over from the new head.
 */
final class TransactionChain {

    private final Path dir;
    private final Log log;
    private final LastCommit last;
    private final RecentCommits recent;
    private final Lifecycle lifecycle;

    TransactionChain(Path dir, Log log, LastCommit last, RecentCommits recent, Lifecycle lifecycle) {
        this.dir = dir;
        this.log = log;
        this.last = last;
        this.recent = recent;
        this.lifecycle = lifecycle;
    }

    /** The transactions committed after {@code tid}, oldest first, each with the oids it wrote. */
    List<CommittedTransaction> after(long tid) {
        if (tid >= last.tid()) {
            return List.of();
        }
        // Every connection asks at every transaction start: the newest commits come from memory, and only a
        // connection that fell further behind walks the log.
        List<CommittedTransaction> known = recent.after(tid);
        if (known != null) {
            return known;
        }
        retry:
        while (true) {
            List<CommittedTransaction> found = new ArrayList<>();
            long head = last.position();
            long position = head;
            while (position != LogPosition.NONE) {
                Segment segment = log.segment(LogPosition.segment(position));
                if (segment == null) {
                    if (head == last.position()) {
                        lifecycle.checkOpen();
                        throw new CorruptStorageException(dir + ": the transaction chain reaches "
                                + LogPosition.describe(position) + ", which is not part of the log.");
                    }
                    continue retry;
                }
                TransactionView txn = TransactionView.read(segment, LogPosition.offset(position),
                        log.committedEnd());
                if (txn.tid <= tid) {
                    break;
                }
                if (txn.prevTxn < LogPosition.NONE || txn.prevTxn >= position) {
                    // FORMAT.md invariant (1); also keeps a damaged chain from looping
                    throw segment.damaged(LogPosition.offset(position), "transaction " + txn.tid + " names "
                            + LogPosition.describe(txn.prevTxn) + " as the transaction before it");
                }
                found.add(new CommittedTransaction(txn.tid, txn.oids()));
                position = txn.prevTxn;
            }
            Collections.reverse(found);
            return found;
        }
    }

    /** The transactions after {@code tid} with their records, oldest first, read lazily ({@link TransactionWalk}). */
    Iterator<TransactionRecords> walk(long tid) {
        return new TransactionWalk(log, last, lifecycle, tid);
    }

    /** Every transaction record, oldest first (tests). */
    void forEach(Consumer<TransactionView> visitor) {
        List<TransactionView> all = new ArrayList<>();
        long position = last.position();
        while (position != LogPosition.NONE) {
            TransactionView txn = TransactionView.read(log.segment(LogPosition.segment(position)),
                    LogPosition.offset(position));
            all.add(txn);
            position = txn.prevTxn;
        }
        Collections.reverse(all);
        all.forEach(visitor);
    }
}
