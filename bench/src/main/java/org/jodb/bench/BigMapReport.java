package org.jodb.bench;

import java.util.Locale;

/**
 * Renders {@link BigMapResults} as markdown: one row per figure of workloads 6 and 7, a column per store with
 * the median and the min–max over the rounds; a reason instead of a figure where a store has none; then how
 * each store was built and used.
 */
final class BigMapReport {
    private final BigMapOptions options;
    private final BigMapResults results;
    private final String command;

    BigMapReport(BigMapOptions options, BigMapResults results, String command) {
        this.options = options;
        this.results = results;
        this.command = command;
    }

    String render() {
        StringBuilder md = new StringBuilder("# Big map: cold random gets (workload 6) and range scans (workload 7)\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append(String.format(Locale.ROOT, "Machine: %d cores, %s %s, %s, max heap %,d MiB; %d round(s), stores in"
                        + " rotating order.%n%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), System.getProperty("os.name"),
                Runtime.getRuntime().maxMemory() >> 20, options.rounds()));
        md.append(String.format(Locale.ROOT, "A map of %,d string keys (`key-00000000` …) to longs, built once per"
                        + " store in commits of %,d and closed. Each round opens every store cold (a new store object;"
                        + " the OS page cache stays warm): one first get, then %,d random gets; then a second cold"
                        + " open and %,d scans of %d consecutive keys. Heap = used heap after a full GC minus the same"
                        + " before the open. Every value read is checked.%n%n", options.entries(), options.batch(),
                options.gets(), options.scans(), options.scanLength()));
        appendTable(md);
        appendStores(md);
        return md.toString();
    }

    private void appendTable(StringBuilder md) {
        md.append("Median (min–max over the rounds).\n\n| figure | unit |");
        for (String s : options.stores()) {
            md.append(' ').append(s).append(" |");
        }
        md.append("\n|---|---|").append("---:|".repeat(options.stores().size())).append('\n');
        for (BigMapMeasure m : BigMapMeasure.values()) {
            md.append("| ").append(m.label).append(" | ").append(m.unit).append(" |");
            for (String s : options.stores()) {
                md.append(' ').append(cell(s, m)).append(" |");
            }
            md.append('\n');
        }
        md.append("| build, commits of ").append(String.format(Locale.ROOT, "%,d", options.batch()))
                .append(" (once, not a target) | s |");
        for (String s : options.stores()) {
            md.append(' ').append(String.format(Locale.ROOT, "%.1f", results.figures(s).buildSeconds())).append(" |");
        }
        md.append("\n| files after the build | MiB |");
        for (String s : options.stores()) {
            md.append(' ').append(String.format(Locale.ROOT, "%,.0f", results.figures(s).bytesOnDisk() / 1048576.0))
                    .append(" |");
        }
        md.append("\n\n");
    }

    private String cell(String store, BigMapMeasure m) {
        BigMapResults.StoreFigures figures = results.figures(store);
        if (m.isScan() && figures.cannotScan() != null) {
            return "n/a: " + figures.cannotScan();
        }
        double[] mmm = results.medianMinMax(store, m);
        if (Double.isNaN(mmm[0])) {
            return m.isRecordCount() ? "n/a: not counted" : "–";
        }
        String median = format(mmm[0], m.decimals);
        if (mmm[1] == mmm[2]) {
            return median;
        }
        return median + " (" + format(mmm[1], m.decimals) + "–" + format(mmm[2], m.decimals) + ")";
    }

    private static String format(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private void appendStores(StringBuilder md) {
        md.append("How each store keeps the map:\n\n");
        for (String s : options.stores()) {
            BigMapResults.StoreFigures f = results.figures(s);
            md.append("- **").append(s).append("** (").append(f.product()).append("): ").append(f.description())
                    .append('\n');
        }
        md.append("\nRecords loaded are counted by jodb's connection only; the peers expose no such count. The heap"
                + " is what the JVM holds: MapDB reads its memory-mapped file outside the heap, MVStore keeps the pages"
                + " it read in a bounded cache, EclipseStore's `TreeMap` is loaded whole by the open (its first get"
                + " then reads memory only). jodb's files are its log segments, made ahead at full size.\n\n");
    }
}
