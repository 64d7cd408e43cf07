package org.jodb.cli;

import java.util.concurrent.Callable;

import org.jodb.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jodb stats STORE [--json]}: what a store holds and what it costs on disk; on a live store (open in
 * another process) also the runtime figures of the database that has it open ({@link LiveFigures}).
 */
@Command(name = "stats", description = {
        "Shows what a store holds and what it costs on disk.",
        "Shows objects by class (count, live bytes, revisions), transactions, live data against disk use, and",
        "the largest objects. --json prints the same figures as one JSON object for scripts.",
        "On a store another process has open, also shows that database's runtime figures (commits, conflicts,",
        "cache), read over JMX from the MBean the application registered with db.registerMBean().",
        "On a storage named by URL, what its transactions hold; disk use and runtime figures do not apply."})
final class StatsCommand extends StoreCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        if (StoreUrl.isUrl(storeName)) {
            return statsOf(StoreUrl.of(storeName));
        }
        StoreDir store = StoreDir.of(storeName);
        StoreDir.Owner owner = store.owner();
        StoreStats s;
        try (LogScan scan = scanForReading(store, owner)) {
            s = StoreStats.of(store, scan, progress());
        }
        LiveFigures.Result live = owner == StoreDir.Owner.NONE ? null : LiveFigures.of(store, owner);
        if (json) {
            out().println(StatsJson.of(store, s, live));
        } else {
            print(store, s);
            if (live != null) {
                print(live);
            }
        }
        return Jodb.OK;
    }

    /**
     * The figures of a storage opened by URL, from one walk of its transactions through the SPI: no disk use
     * (the server's files are its own) and no runtime figures (those are read over JMX from the one process
     * that has a store directory open, while any number of processes use a shared storage).
     */
    private int statsOf(StoreUrl url) {
        StoreStats s;
        try (Database db = url.openDatabase()) {
            StorageWalk walk = StorageWalk.of(db.storage());
            for (String problem : walk.problems) {
                err().println("warning: " + problem);
            }
            s = StoreStats.of(walk);
        }
        if (json) {
            out().println(StatsJson.of(url.shown(), false, s, null));
            return Jodb.OK;
        }
        out().println("store " + url);
        printHoldings(s);
        out().println("disk use and runtime figures: shown for store directories only; the server keeps this"
                + " storage's files, and any number of processes may have it open");
        printClasses(s);
        return Jodb.OK;
    }

    private void print(StoreDir store, StoreStats s) {
        out().println("store " + store.path);
        printHoldings(s);
        out().println("log: " + s.logBytes + " bytes used of " + s.segmentBytes + " in segments; " + s.diskBytes
                + " bytes on disk with the index; live data is " + percent(s.liveBytes, s.diskBytes) + " of the disk use");
        printClasses(s);
    }

    private void printHoldings(StoreStats s) {
        out().println("transactions: " + s.transactions + (s.transactions == 0 ? "" : " (" + Times.format(s.firstMillis)
                + " to " + Times.format(s.lastMillis) + ")"));
        out().println("objects: " + s.objects + " in " + s.records + " records (revisions)");
        out().println("live data: " + s.liveBytes + " bytes (the newest revision of each object), of " + s.recordBytes
                + " bytes in all revisions");
    }

    private void printClasses(StoreStats s) {
        out().println();
        out().println(String.format("%-48s %9s %10s %12s %12s", "class", "objects", "revisions", "live bytes",
                "all bytes"));
        for (StoreStats.ClassFigures f : s.classes.values()) {
            out().println(String.format("%-48s %9d %10d %12d %12d", f.name, f.objects, f.revisions, f.liveBytes,
                    f.allBytes));
        }
        out().println();
        out().println("largest objects:");
        for (StoreStats.Large l : s.largest) {
            out().println(String.format("  oid %-8d %8d bytes  %s", l.oid(), l.bytes(), l.className()));
        }
    }

    /** The runtime figures of the process that has the store open, or why there are none. */
    private void print(LiveFigures.Result live) {
        out().println();
        String process = live.pid() < 0 ? "the process that has the store open" : "process " + live.pid();
        if (live.mbean() == null) {
            out().println("runtime figures: none from " + process + ": " + live.why() + ".");
            return;
        }
        out().println("runtime figures of " + process + ", which has the store open (JMX " + live.mbean() + "):");
        for (LiveFigures.Figure f : LiveFigures.FIGURES) {
            Object value = live.figures().get(f.key());
            if (value != null) {
                out().println(String.format("  %-18s %s", f.label(), value instanceof Double d
                        ? String.format("%.1f%%", 100 * d) : value));
            }
        }
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "0%" : String.format("%.1f%%", 100.0 * part / whole);
    }
}
