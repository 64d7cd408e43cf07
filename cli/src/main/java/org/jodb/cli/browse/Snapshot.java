package org.jodb.cli.browse;

import java.util.ArrayList;
import java.util.List;

import org.jodb.internal.object.PersistentObject;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.RecordDecoder;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.StorageException;

/**
 * What one page shows: a store's log read at one tid, {@link #at}. Every read goes through it, so a page never
 * mixes states of different moments: an object's state is its newest revision at or before {@code at}, and
 * only transactions up to {@code at} are listed. A later commit does not change what a page at the same tid
 * shows; a pack does remove revisions older than the newest one before its pack time, which the pages then
 * say are gone instead of showing a state the object did not have at {@code at}.
 */
final class Snapshot {
    /** Class name shown for a registry entry (a class name or field layout jodb stores for itself). */
    static final String ENTRY = "(registry entry)";

    final StoreLog log;
    /** The tid the page reads at. */
    final long at;
    private final RecordDecoder decoder;

    /**
     * @param requested the tid the page asks for, or {@code null} for the newest; one after the newest is
     *                  read at the newest (a later tid would let a future commit change the page)
     */
    Snapshot(StoreLog log, Long requested) {
        this.log = log;
        this.at = requested == null || Long.compareUnsigned(requested, log.lastTid()) > 0 ? log.lastTid() : requested;
        this.decoder = new RecordDecoder(log::entry, PersistentObject.class);
    }

    boolean isNewest() {
        return at == log.lastTid();
    }

    /** The revisions of {@code oid} up to the snapshot, oldest first; empty when there are none. */
    List<StoreLog.Rev> revisions(long oid) {
        List<StoreLog.Rev> all = log.revisions(oid);
        List<StoreLog.Rev> upTo = new ArrayList<>();
        if (all != null) {
            for (StoreLog.Rev r : all) {
                if (Long.compareUnsigned(r.tid(), at) <= 0) {
                    upTo.add(r);
                }
            }
        }
        return upTo;
    }

    /** The revision of {@code oid} current at {@code tid} (at most the snapshot's), or {@code null}. */
    StoreLog.Rev revisionAt(long oid, long tid) {
        long until = Long.compareUnsigned(tid, at) < 0 ? tid : at;
        List<StoreLog.Rev> all = log.revisions(oid);
        if (all == null) {
            return null;
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            if (Long.compareUnsigned(all.get(i).tid(), until) <= 0) {
                return all.get(i);
            }
        }
        return null;
    }

    /** A revision's class name, {@link #ENTRY} for a registry entry, or why it is not known. */
    String className(StoreLog.Rev r) {
        if (log.entry(r.oid()) != null) {
            return ENTRY;
        }
        if (r.length() == 0) {
            return "(no state)";
        }
        try {
            long id = RecordDecoder.classEntryId(log.data(r));
            String name = id < 0 ? null : RecordDecoder.className(log.entry(id));
            return name == null ? "(unknown class)" : name;
        } catch (CorruptStorageException e) {
            return "(damaged record)";
        } catch (StorageException e) { // a storage shared with others: a pack there removed it since the read
            return "(record no longer in the storage)";
        }
    }

    /** A revision's content as the pages show it. */
    State state(StoreLog.Rev r) {
        if (r.length() == 0) {
            return new State.Nothing();
        }
        byte[] data;
        try {
            data = log.data(r);
        } catch (StorageException e) { // damaged, or removed by a pack of another process since the read
            return new State.Unreadable(e.getMessage(), new byte[0]);
        }
        if (ObjectRecordCodec.isEntryRecord(data)) {
            return new State.Entry(ObjectRecordCodec.entryOf(data));
        }
        try {
            return new State.Object(decoder.read(data));
        } catch (IllegalArgumentException e) {
            return new State.Unreadable("this record cannot be read: " + e.getMessage(), data);
        }
    }

    /** The committed transactions up to the snapshot, newest first. */
    List<StoreLog.Txn> transactionsNewestFirst() {
        List<StoreLog.Txn> all = log.transactions();
        List<StoreLog.Txn> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (Long.compareUnsigned(all.get(i).tid(), at) <= 0) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    /** The transaction with {@code tid}, or {@code null}. */
    StoreLog.Txn transaction(long tid) {
        List<StoreLog.Txn> all = log.transactions();
        int lo = 0;
        int hi = all.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(all.get(mid).tid(), tid);
            if (c == 0) {
                return all.get(mid);
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    /** A revision's content: an object's fields, a registry entry, no state, or what could not be read. */
    sealed interface State {
        record Object(RecordDecoder.StoredObject value) implements State {
        }

        record Entry(String text) implements State {
        }

        /** A record of length zero: the object has no state at this revision. */
        record Nothing() implements State {
        }

        record Unreadable(String reason, byte[] bytes) implements State {
        }
    }
}
