package org.jodb.cli;

import java.util.List;
import java.util.Map;

import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.spi.CorruptStorageException;
import org.jodb.storage.internal.log.LogPosition;

/**
 * The part of {@code verify} that reads every record (ZODB's {@code fsrefs}): each revision's {@code prev}
 * names the revision before it, and each oid a record refers to (a persistent object or a registry entry)
 * has a revision at or before the record's tid, or lost its older revisions to pack.
 */
final class ReferenceCheck {
    private ReferenceCheck() {
    }

    static void run(LogScan scan, List<String> problems, Progress progress) {
        progress.begin("checking references", scan.records, "records");
        long done = 0;
        for (Map.Entry<Long, List<LogScan.Rev>> e : scan.revisions.entrySet()) {
            List<LogScan.Rev> revs = e.getValue();
            for (int i = 0; i < revs.size(); i++) {
                LogScan.Rev r = revs.get(i);
                progress.at(++done);
                checkPrev(scan, problems, revs, i, r);
                if (scan.damagedRecords.contains(r.position())) {
                    continue; // reported by the walk; its references cannot be trusted
                }
                byte[] data;
                try {
                    data = scan.data(r);
                } catch (CorruptStorageException damaged) {
                    problems.add(damaged.getMessage());
                    continue;
                }
                ObjectRecordCodec.references(data, target -> checkTarget(scan, problems, r, target));
            }
        }
        progress.done();
    }

    private static void checkPrev(LogScan scan, List<String> problems, List<LogScan.Rev> revs, int i, LogScan.Rev r) {
        long expected = i == 0 ? LogPosition.NONE : revs.get(i - 1).position();
        boolean ok = i == 0 ? r.prev() == LogPosition.NONE || r.prev() == LogPosition.PACKED : r.prev() == expected;
        if (!ok) {
            problems.add(scan.where(r.position()) + ": oid " + r.oid() + ", tid " + Ids.tid(r.tid())
                    + ": the record names its previous revision at " + LogPosition.describe(r.prev()) + ", but the"
                    + " log holds " + (i == 0 ? "no older revision" : "it at " + LogPosition.describe(expected))
                    + ": the object's history is broken. Restore the store from a backup.");
        }
    }

    private static void checkTarget(LogScan scan, List<String> problems, LogScan.Rev r, long target) {
        if (scan.revisionAt(target, r.tid()) != null) {
            return;
        }
        List<LogScan.Rev> revs = scan.revisions.get(target);
        if (revs != null && revs.get(0).prev() == LogPosition.PACKED) {
            return; // pack removed the revision this record saw, and kept a newer one
        }
        problems.add(scan.where(r.position()) + ": oid " + r.oid() + ", tid " + Ids.tid(r.tid()) + ": refers to oid "
                + target + (revs == null ? ", which no transaction wrote" : ", which was first written later, at tid "
                + Ids.tid(revs.get(0).tid())) + ": a dangling reference, whose load fails. Restore the store from a"
                + " backup, or make the objects that hold it refer to another object.");
    }
}
