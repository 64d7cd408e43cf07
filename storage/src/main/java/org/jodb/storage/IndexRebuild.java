package org.jodb.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.function.IntSupplier;

import org.jodb.spi.CorruptStorageException;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;

/**
 * Rebuilds the oid index of an open storage from its log (FORMAT.md 5), for an index that disagreed with the
 * log: walks the transaction chain back from the newest transaction, then puts every data record into a new
 * index generation, oldest transaction first, after checking each transaction's CRC as recovery does at open.
 * The caller holds the commit lock, so no commit changes the log's end meanwhile; readers go on with the old
 * index.
 */
final class IndexRebuild {

    private IndexRebuild() {
    }

    /**
     * The index of every transaction up to and including the one at {@code head}.
     *
     * @param inMemory    at most how many of its pages the index keeps in memory
     * @param generations hands out the generation of each file made (the first, and one per growth)
     * @throws CorruptStorageException naming the log file and offset when a transaction is damaged; nothing is
     *                                 left behind
     */
    static OidIndex fromLog(Log log, long head, long capacity, int inMemory, IntSupplier generations) {
        long[] chain = chain(log, head);
        OidIndex index = OidIndex.create(log.directory(), generations.getAsInt(), capacity, inMemory);
        try {
            long committedEnd = log.committedEnd();
            TransactionEntries entries = new TransactionEntries();
            for (int i = chain.length - 1; i >= 0; i--) {
                Segment segment = log.segment(LogPosition.segment(chain[i]));
                TransactionView txn = TransactionView.read(segment, LogPosition.offset(chain[i]), committedEnd);
                txn.verify();
                int pages = entries.gather(txn);
                if (index.needsGrowth(pages)) {
                    OidIndex smaller = index;
                    index = IndexGenerations.grow(smaller, pages, generations.getAsInt());
                    discard(smaller);
                }
                entries.putInto(index);
            }
            return index;
        } catch (RuntimeException | Error e) {
            discard(index);
            throw e;
        }
    }

    /** Positions of the transactions from {@code head} back to the first, newest first. */
    private static long[] chain(Log log, long head) {
        long[] found = new long[64];
        int n = 0;
        long committedEnd = log.committedEnd();
        for (long position = head; position != LogPosition.NONE; ) {
            Segment segment = log.segment(LogPosition.segment(position));
            if (segment == null) {
                throw new CorruptStorageException(log.directory() + ": the transaction chain reaches "
                        + LogPosition.describe(position) + ", which is not part of the log. Restore the store from"
                        + " a backup.");
            }
            TransactionView txn = TransactionView.read(segment, LogPosition.offset(position), committedEnd);
            if (txn.prevTxn < LogPosition.NONE || txn.prevTxn >= position) {
                // FORMAT.md invariant (1); also keeps a damaged chain from looping
                throw segment.damaged(LogPosition.offset(position), "transaction " + txn.tid + " names "
                        + LogPosition.describe(txn.prevTxn) + " as the transaction before it");
            }
            if (n == found.length) {
                found = Arrays.copyOf(found, n * 2);
            }
            found[n++] = position;
            position = txn.prevTxn;
        }
        return Arrays.copyOf(found, n);
    }

    private static void discard(OidIndex index) {
        index.close();
        try {
            Files.deleteIfExists(index.file());
        } catch (IOException ignored) {
            // an unused index generation is deleted at close or at the next open
        }
    }
}
