package org.jodb.spi;

import java.util.Arrays;
import java.util.Iterator;

/**
 * Walks the transactions of two storages side by side and stops at the first difference: a transaction one
 * holds and the other not, or one whose time, user, note, oids or record bytes differ. What
 * {@link StorageCopy} checks a target with. Reads one transaction of each at a time.
 */
final class CopyComparison {

    private final Storage source;
    private final Storage target;
    private long transactions;
    private long records;
    private long bytes;
    private String difference;

    private CopyComparison(Storage source, Storage target) {
        this.source = source;
        this.target = target;
    }

    /**
     * Compares the source's transactions after {@code afterTid} up to {@code upTo} with every transaction of the
     * target after {@code afterTid}, telling {@code listener} of each one found equal.
     */
    static CopyComparison run(Storage source, Storage target, long afterTid, long upTo, CopyProgress.Phase phase,
                              CopyListener listener) {
        CopyComparison comparison = new CopyComparison(source, target);
        comparison.compare(source.transactions(afterTid), target.transactions(afterTid), upTo, phase, listener);
        return comparison;
    }

    long transactions() {
        return transactions;
    }

    long records() {
        return records;
    }

    long bytes() {
        return bytes;
    }

    /** The first difference in words, or {@code null} when there was none. */
    String difference() {
        return difference;
    }

    private void compare(Iterator<TransactionRecords> fromSource, Iterator<TransactionRecords> fromTarget, long upTo,
                         CopyProgress.Phase phase, CopyListener listener) {
        TransactionRecords s = next(fromSource, upTo);
        TransactionRecords t = next(fromTarget, Long.MAX_VALUE);
        while (s != null || t != null) {
            if (t == null || (s != null && s.info().tid() < t.info().tid())) {
                difference = "transaction " + s.info().tid() + " of " + source.name() + " is missing from "
                        + target.name() + (t == null ? "" : " (whose next transaction is " + t.info().tid() + ")");
                return;
            }
            if (s == null || t.info().tid() < s.info().tid()) {
                difference = "transaction " + t.info().tid() + " of " + target.name() + " is not in " + source.name()
                        + (s == null ? "" : " (whose next transaction is " + s.info().tid() + ")");
                return;
            }
            difference = differenceOf(s, t);
            if (difference != null) {
                return;
            }
            transactions++;
            for (Revision r : s.records()) {
                records++;
                bytes += r.data().length;
            }
            listener.progress(new CopyProgress(phase, s.info().tid(), upTo, transactions, records, bytes));
            s = next(fromSource, upTo);
            t = next(fromTarget, Long.MAX_VALUE);
        }
    }

    private static TransactionRecords next(Iterator<TransactionRecords> walk, long upTo) {
        if (!walk.hasNext()) {
            return null;
        }
        TransactionRecords next = walk.next();
        return next.info().tid() > upTo ? null : next;
    }

    /** How two transactions of the same tid differ, or {@code null}. */
    private String differenceOf(TransactionRecords s, TransactionRecords t) {
        TransactionInfo a = s.info();
        TransactionInfo b = t.info();
        String at = "transaction " + a.tid() + ": ";
        if (a.timeMillis() != b.timeMillis()) {
            return at + "its time is " + a.timeMillis() + " in " + source.name() + " but " + b.timeMillis() + " in "
                    + target.name();
        }
        if (!a.user().equals(b.user()) || !a.note().equals(b.note())) {
            return at + "its user and note are \"" + a.user() + "\", \"" + a.note() + "\" in " + source.name()
                    + " but \"" + b.user() + "\", \"" + b.note() + "\" in " + target.name();
        }
        // by oid: a storage may keep no record order within a transaction (PostgreSQL's rows come by oid)
        Revision[] x = byOid(s);
        Revision[] y = byOid(t);
        long[] xOids = Arrays.stream(x).mapToLong(Revision::oid).toArray();
        long[] yOids = Arrays.stream(y).mapToLong(Revision::oid).toArray();
        if (!Arrays.equals(xOids, yOids)) {
            return at + "it holds records of oids " + Arrays.toString(xOids) + " in " + source.name() + " but "
                    + Arrays.toString(yOids) + " in " + target.name();
        }
        for (int i = 0; i < x.length; i++) {
            if (!Arrays.equals(x[i].data(), y[i].data())) {
                return at + "the record of oid " + xOids[i] + " differs (" + x[i].data().length + " bytes in "
                        + source.name() + ", " + y[i].data().length + " bytes in " + target.name() + ")";
            }
        }
        return null;
    }

    private static Revision[] byOid(TransactionRecords t) {
        Revision[] records = t.records().toArray(new Revision[0]);
        Arrays.sort(records, java.util.Comparator.comparingLong(Revision::oid));
        return records;
    }
}
