package org.jodb.spi;

import java.util.Iterator;
import java.util.Objects;

/**
 * Copies every transaction of one storage into another, with its tid, time, user, note and records, and checks
 * the copy: moving a database from the file store to a database server and back, or making a copy to keep.
 *
 * <p>{@link #copy} writes each of the source's transactions ({@link Storage#transactions}) into the target
 * through {@link Storage#tpcBeginCopy}, oldest first, one at a time: a store larger than memory can be copied,
 * and history, {@link Storage#history} and reads at old tids work on the copy as on the source.
 * <ul>
 *   <li>Into an empty target it copies everything.</li>
 *   <li>Into a target that holds some transactions already it continues (an incremental copy): the target must
 *       be an earlier copy of the source, its transactions exactly the source's first ones. That is checked
 *       first, comparing every transaction and record the target holds, and the copy is refused when they
 *       differ, naming the tids. Copying again after the source committed more brings the target up to date.</li>
 *   <li>Then the copied transactions are compared with the source's ({@link #verify} compares them all): the
 *       report names the first difference, if any.</li>
 * </ul>
 * A pack of the source changes what it lists, so a target copied before that pack is no longer a prefix of it:
 * copy into an empty storage again, or pack both alike. Transactions the source commits while the copy runs
 * are left for the next copy. The copy holds no lock: the source may be used meanwhile; the target should not
 * be written by anyone else.
 */
public final class StorageCopy {

    private StorageCopy() {
    }

    /** {@link #copy(Storage, Storage, CopyListener)} without a listener. */
    public static CopyReport copy(Storage from, Storage to) {
        return copy(from, to, CopyListener.NONE);
    }

    /**
     * Copies the transactions of {@code from} that {@code to} lacks into {@code to}, then compares the copied
     * ones with the source's.
     *
     * @param listener hears each transaction checked, copied and verified ({@link CopyListener})
     * @return the transactions, records and bytes copied, and the first difference the check found
     * @throws IllegalArgumentException when {@code from} and {@code to} are the same storage, or {@code to} holds
     *         transactions that are not the first ones of {@code from} (the message names the tids)
     * @throws StorageException when reading or writing fails; the target keeps every transaction copied before
     *         (a copy again continues from there)
     */
    public static CopyReport copy(Storage from, Storage to, CopyListener listener) {
        refuseSameStorage(from, to);
        Objects.requireNonNull(listener, "listener");
        long goal = from.lastTid();
        long start = to.lastTid();
        if (start != Storage.NO_TID) {
            requireEarlierCopy(from, to, start, listener);
        }
        long transactions = 0;
        long records = 0;
        long bytes = 0;
        Iterator<TransactionRecords> walk = from.transactions(start);
        while (walk.hasNext()) {
            TransactionRecords t = walk.next();
            if (t.info().tid() > goal) {
                break; // committed during the copy: left for the next one
            }
            copyOne(from, to, t, start);
            transactions++;
            for (Revision r : t.records()) {
                records++;
                bytes += r.data().length;
            }
            listener.progress(new CopyProgress(CopyProgress.Phase.COPY, t.info().tid(), goal, transactions, records,
                    bytes));
        }
        CopyComparison check = CopyComparison.run(from, to, start, goal, CopyProgress.Phase.VERIFY, listener);
        return new CopyReport(start, to.lastTid(), transactions, records, bytes, check.difference());
    }

    /** {@link #verify(Storage, Storage, CopyListener)} without a listener. */
    public static CopyReport verify(Storage from, Storage to) {
        return verify(from, to, CopyListener.NONE);
    }

    /**
     * Compares every transaction of {@code to} with those of {@code from} up to its last when the call began:
     * the same tids, times, users, notes, oids and record bytes, none missing and none extra. Changes nothing.
     *
     * @return what was compared, and the first difference found ({@link CopyReport#matches()} when none)
     * @throws IllegalArgumentException when {@code from} and {@code to} are the same storage
     */
    public static CopyReport verify(Storage from, Storage to, CopyListener listener) {
        refuseSameStorage(from, to);
        Objects.requireNonNull(listener, "listener");
        CopyComparison check = CopyComparison.run(from, to, Storage.NO_TID, from.lastTid(),
                CopyProgress.Phase.VERIFY, listener);
        return new CopyReport(Storage.NO_TID, to.lastTid(), check.transactions(), check.records(), check.bytes(),
                check.difference());
    }

    private static void refuseSameStorage(Storage from, Storage to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from == to) {
            throw new IllegalArgumentException("cannot copy storage " + from.name() + " into itself: give an empty"
                    + " storage, or an earlier copy of it, as the target");
        }
    }

    /** Refuses a target whose transactions are not exactly the source's first ones. */
    private static void requireEarlierCopy(Storage from, Storage to, long targetLast, CopyListener listener) {
        CopyComparison prefix = CopyComparison.run(from, to, Storage.NO_TID, targetLast, CopyProgress.Phase.CHECK,
                listener);
        if (prefix.difference() != null) {
            throw new IllegalArgumentException("cannot copy " + from.name() + " into " + to.name() + ": the target is"
                    + " not empty (its last transaction is " + targetLast + ") and not an earlier copy of the source: "
                    + prefix.difference() + ". Copy into an empty storage.");
        }
    }

    /** Writes {@code t} into {@code to} with its own tid. */
    private static void copyOne(Storage from, Storage to, TransactionRecords t, long start) {
        StorageTransaction txn = to.tpcBeginCopy(t.info());
        try {
            for (Revision r : t.records()) {
                txn.store(r.oid(), r.tid(), r.data());
            }
            txn.vote();
            long tid = txn.finish();
            if (tid != t.info().tid()) {
                throw new StorageException("storage " + to.name() + " committed the copy of transaction "
                        + t.info().tid() + " as tid " + tid + ": its tpcBeginCopy must keep the tid given");
            }
        } catch (RuntimeException e) {
            txn.abort();
            throw new StorageException("copying transaction " + t.info().tid() + " of " + from.name() + " into "
                    + to.name() + " failed: " + e.getMessage() + ". The target holds the transactions copied before"
                    + " it (copied from after tid " + start + "); copy again to continue.", e);
        }
    }
}
