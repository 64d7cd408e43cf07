package org.jodb.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.RecordDecoder;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.TransactionInfo;
import org.jodb.spi.TransactionRecords;

/**
 * One walk of every transaction a storage holds, through the storage SPI ({@link Storage#transactions}): what
 * {@code stats} and {@code verify} know of a store opened by URL, where the file store's log cannot be read
 * directly. Keeps a few figures per object, never the records themselves (but the registry entries, a few
 * bytes each), so that a store larger than memory can be walked.
 *
 * <p>The checks: every transaction and record can be read, tids grow, each record belongs to its transaction,
 * and every oid a record refers to was written at or before that record's transaction (a reference to an oid no
 * transaction wrote is dangling; one to an oid first written later is too, unless a pack removed revisions,
 * which may leave an old revision whose target kept only a newer one).
 */
final class StorageWalk {
    /** What the walk keeps of one object. */
    static final class ObjectFigures {
        int revisions;
        long allBytes;
        int currentBytes;
        long currentTid;
        /** The registry entry of the newest revision's class, -1 when none (an entry itself, or unreadable). */
        long classEntry = -1;
        long firstTid;
    }

    final Map<Long, ObjectFigures> objects = new HashMap<>();
    final Map<Long, String> entries = new HashMap<>();
    final List<String> problems = new ArrayList<>();
    long transactions;
    long firstMillis;
    long lastMillis;
    long records;
    long recordBytes;
    /** References to oids first written after the record that holds them: (oid of the target, where). */
    private final Map<Long, List<String>> forward = new HashMap<>();

    private StorageWalk() {
    }

    /** Walks {@code storage} from its first transaction; a failure to read ends the walk as a problem. */
    static StorageWalk of(Storage storage) {
        StorageWalk walk = new StorageWalk();
        long lastTid = Storage.NO_TID;
        try {
            Iterator<TransactionRecords> all = storage.transactions(Storage.NO_TID);
            while (all.hasNext()) {
                TransactionRecords t = all.next();
                TransactionInfo info = t.info();
                if (info.tid() <= lastTid) {
                    walk.problems.add("tid " + Ids.tid(info.tid()) + " comes after tid " + Ids.tid(lastTid)
                            + ": the storage lists its transactions out of order.");
                }
                lastTid = info.tid();
                walk.add(t);
            }
        } catch (RuntimeException unreadable) {
            walk.problems.add("the transaction after tid " + Ids.tid(lastTid) + " cannot be read: " + unreadable
                    .getMessage() + ". What follows it was not checked.");
        }
        walk.settleForwardReferences(storage.oldestSnapshot() != Storage.NO_TID);
        return walk;
    }

    private void add(TransactionRecords t) {
        TransactionInfo info = t.info();
        if (transactions == 0) {
            firstMillis = info.timeMillis();
        }
        transactions++;
        lastMillis = info.timeMillis();
        Set<Long> written = new HashSet<>();
        for (Revision r : t.records()) {
            written.add(r.oid());
        }
        for (Revision r : t.records()) {
            if (r.tid() != info.tid()) {
                problems.add("oid " + r.oid() + ": its record is listed with tid " + Ids.tid(info.tid()) + " but"
                        + " names tid " + Ids.tid(r.tid()) + ".");
            }
            records++;
            recordBytes += r.data().length;
            ObjectFigures f = objects.computeIfAbsent(r.oid(), oid -> new ObjectFigures());
            if (f.revisions == 0) {
                f.firstTid = info.tid();
            }
            f.revisions++;
            f.allBytes += r.data().length;
            f.currentBytes = r.data().length;
            f.currentTid = info.tid();
            if (ObjectRecordCodec.isEntryRecord(r.data())) {
                entries.put(r.oid(), ObjectRecordCodec.entryOf(r.data()));
                f.classEntry = -1;
                continue;
            }
            f.classEntry = RecordDecoder.classEntryId(r.data());
            try {
                ObjectRecordCodec.references(r.data(), target -> {
                    if (!written.contains(target) && !objects.containsKey(target)) {
                        forward.computeIfAbsent(target, x -> new ArrayList<>()).add("oid " + r.oid() + ", tid "
                                + Ids.tid(info.tid()));
                    }
                });
            } catch (RuntimeException unreadable) {
                problems.add("oid " + r.oid() + ", tid " + Ids.tid(info.tid()) + ": its record cannot be read: "
                        + unreadable.getMessage() + ".");
            }
        }
    }

    private void settleForwardReferences(boolean packed) {
        for (Map.Entry<Long, List<String>> e : forward.entrySet()) {
            ObjectFigures target = objects.get(e.getKey());
            if (target != null && packed) {
                continue; // pack removed the revision these records saw, and kept a newer one
            }
            for (String where : e.getValue()) {
                problems.add(where + ": refers to oid " + e.getKey() + (target == null ? ", which no transaction"
                        + " wrote" : ", which was first written later, at tid " + Ids.tid(target.firstTid))
                        + ": a dangling reference, whose load fails. Restore the store from a backup, or make the"
                        + " objects that hold it refer to another object.");
            }
        }
        forward.clear();
    }

    /** The class of an object's newest revision, by its registry entry, as {@code stats} names it. */
    String classOf(long oid) {
        if (entries.containsKey(oid)) {
            return StoreStats.ENTRIES;
        }
        ObjectFigures f = objects.get(oid);
        String name = f == null || f.classEntry < 0 ? null : RecordDecoder.className(entries.get(f.classEntry));
        return name == null ? "(unknown class)" : name;
    }
}
