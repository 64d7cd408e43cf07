package org.jodb.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jodb.internal.serialization.RecordDecoder;
import org.jodb.spi.CorruptStorageException;

/**
 * The figures {@code jodb stats} prints, counted from one walk of the log: objects by class (the class of each
 * object's newest revision), transactions, live data against disk use, the largest objects (registry
 * entries left out: they are jodb's, not the application's).
 */
final class StoreStats {
    static final String ENTRIES = "(registry entries: class names and field layouts)";
    static final int LARGEST = 10;

    /** One class's figures. */
    static final class ClassFigures {
        final String name;
        long objects;
        long revisions;
        long liveBytes;
        long allBytes;

        ClassFigures(String name) {
            this.name = name;
        }
    }

    /** One object among the largest. */
    record Large(long oid, String className, int bytes, long tid) {
    }

    final Map<String, ClassFigures> classes = new TreeMap<>();
    final List<Large> largest = new ArrayList<>();
    long transactions;
    long firstMillis;
    long lastMillis;
    long objects;
    long records;
    long liveBytes;
    long recordBytes;
    long logBytes;
    long segmentBytes;
    long diskBytes;

    static StoreStats of(StoreDir store, LogScan scan, Progress progress) {
        StoreStats s = new StoreStats();
        s.transactions = scan.transactions.size();
        if (!scan.transactions.isEmpty()) {
            s.firstMillis = scan.transactions.get(0).timeMillis();
            s.lastMillis = scan.transactions.get(scan.transactions.size() - 1).timeMillis();
        }
        s.objects = scan.revisions.size();
        s.records = scan.records;
        s.recordBytes = scan.recordBytes;
        s.logBytes = scan.logBytes();
        s.segmentBytes = scan.segmentBytes();
        s.diskBytes = store.diskBytes();
        progress.begin("counting objects", s.objects, "objects");
        long done = 0;
        List<Large> all = new ArrayList<>();
        for (Map.Entry<Long, List<LogScan.Rev>> e : scan.revisions.entrySet()) {
            progress.at(++done);
            List<LogScan.Rev> revs = e.getValue();
            LogScan.Rev current = revs.get(revs.size() - 1);
            String name = classOf(scan, current);
            ClassFigures f = s.classes.computeIfAbsent(name, ClassFigures::new);
            f.objects++;
            f.revisions += revs.size();
            f.liveBytes += current.length();
            for (LogScan.Rev r : revs) {
                f.allBytes += r.length();
            }
            s.liveBytes += current.length();
            if (!ENTRIES.equals(name)) {
                all.add(new Large(e.getKey(), name, current.length(), current.tid()));
            }
        }
        progress.done();
        all.sort(Comparator.comparingInt(Large::bytes).reversed().thenComparingLong(Large::oid));
        s.largest.addAll(all.subList(0, Math.min(LARGEST, all.size())));
        return s;
    }

    /**
     * The figures of a storage opened by URL, from a walk through the SPI: all but the file figures (log,
     * segment and disk bytes), which stay 0.
     */
    static StoreStats of(StorageWalk walk) {
        StoreStats s = new StoreStats();
        s.transactions = walk.transactions;
        s.firstMillis = walk.firstMillis;
        s.lastMillis = walk.lastMillis;
        s.objects = walk.objects.size();
        s.records = walk.records;
        s.recordBytes = walk.recordBytes;
        List<Large> all = new ArrayList<>();
        for (Map.Entry<Long, StorageWalk.ObjectFigures> e : walk.objects.entrySet()) {
            StorageWalk.ObjectFigures o = e.getValue();
            String name = walk.classOf(e.getKey());
            ClassFigures f = s.classes.computeIfAbsent(name, ClassFigures::new);
            f.objects++;
            f.revisions += o.revisions;
            f.liveBytes += o.currentBytes;
            f.allBytes += o.allBytes;
            s.liveBytes += o.currentBytes;
            if (!ENTRIES.equals(name)) {
                all.add(new Large(e.getKey(), name, o.currentBytes, o.currentTid));
            }
        }
        all.sort(Comparator.comparingInt(Large::bytes).reversed().thenComparingLong(Large::oid));
        s.largest.addAll(all.subList(0, Math.min(LARGEST, all.size())));
        return s;
    }

    /** The class an object's revision holds, by its registry entry. */
    static String classOf(LogScan scan, LogScan.Rev r) {
        if (scan.entries.containsKey(r.oid())) {
            return ENTRIES;
        }
        byte[] data;
        try {
            data = scan.data(r);
        } catch (CorruptStorageException damaged) {
            return "(damaged record)";
        }
        long id = RecordDecoder.classEntryId(data);
        String name = id < 0 ? null : RecordDecoder.className(scan.entries.get(id));
        return name == null ? "(unknown class)" : name;
    }
}
