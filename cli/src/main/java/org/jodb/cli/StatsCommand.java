package org.jodb.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jodb stats STORE [--json]}: what a store holds and what it costs on disk. */
@Command(name = "stats", description = {
        "Shows what a store holds and what it costs on disk.",
        "Shows objects by class (count, live bytes, revisions), transactions, live data against disk use, and",
        "the largest objects. --json prints the same figures as one JSON object for scripts."})
final class StatsCommand extends StoreCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        StoreDir store = StoreDir.of(storeName);
        StoreStats s;
        try (LogScan scan = scanForReading(store)) {
            s = StoreStats.of(store, scan, progress());
        }
        if (json) {
            out().println(StatsJson.of(store, s));
        } else {
            print(store, s);
        }
        return Jodb.OK;
    }

    private void print(StoreDir store, StoreStats s) {
        out().println("store " + store.path);
        out().println("transactions: " + s.transactions + (s.transactions == 0 ? "" : " (" + Times.format(s.firstMillis)
                + " to " + Times.format(s.lastMillis) + ")"));
        out().println("objects: " + s.objects + " in " + s.records + " records (revisions)");
        out().println("live data: " + s.liveBytes + " bytes (the newest revision of each object), of " + s.recordBytes
                + " bytes in all revisions");
        out().println("log: " + s.logBytes + " bytes used of " + s.segmentBytes + " in segments; " + s.diskBytes
                + " bytes on disk with the index; live data is " + percent(s.liveBytes, s.diskBytes) + " of the disk use");
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

    private static String percent(long part, long whole) {
        return whole == 0 ? "0%" : String.format("%.1f%%", 100.0 * part / whole);
    }
}
