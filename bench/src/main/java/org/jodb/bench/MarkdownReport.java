package org.jodb.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@link Results} as the markdown that goes to {@code bench/results/} and to the console:
 * one row per workload and mode, a column per store with the median rate and the min–max over the
 * rounds, then the ratio jodb/peer per peer, then jodb's speed targets against the peers, met or missed.
 */
final class MarkdownReport {
    private final BenchOptions options;
    private final Results results;
    private final String command;

    MarkdownReport(BenchOptions options, Results results, String command) {
        this.options = options;
        this.results = results;
        this.command = command;
    }

    String render() {
        StringBuilder md = new StringBuilder();
        md.append("# jodb beside its peers\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append(String.format(Locale.ROOT, "Machine: %d cores, %s %s, %s; %d round(s), stores in rotating order.%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("os.name"), options.rounds()));
        md.append(String.format(Locale.ROOT, "Sizes: %,d accounts, inserted %,d per commit; %,d transactions of %d"
                        + " accounts (workload 2; split over %d threads in 5 and 6); %,d + %,d changes around the"
                        + " savepoint; workloads 2, 5 and 6 stop after %.0f s and report the rate so far.%n%n",
                options.accounts(), options.batch(), options.updates(), options.keysPerUpdate(), options.threads(),
                options.savepointChanges(), options.savepointChanges(), options.capSeconds()));
        double fsync = results.fsyncMedianNanos();
        if (!Double.isNaN(fsync)) {
            md.append(String.format(Locale.ROOT, "Raw fsync probe (append 100 bytes + `FileChannel.force`, same disk):"
                    + " median %.3f ms over %d appends = **%,.0f fsyncs/s**, the ceiling for one thread's durable"
                    + " commits.%n%n", fsync / 1e6, results.fsyncSamples(), 1e9 / fsync));
        }
        double msync = results.msyncMedianNanos();
        if (!Double.isNaN(msync)) {
            md.append(String.format(Locale.ROOT, "The same through a memory-mapped file (write 100 bytes into the"
                    + " mapping + `MappedByteBuffer.force(offset, 100)`, as jodb's log does): median %.3f ms ="
                    + " %,.0f forces/s.%n%n", msync / 1e6, 1e9 / msync));
        }
        appendTable(md);
        appendTargets(md);
        appendNotes(md);
        return md.toString();
    }

    private List<String> peers() {
        // jodb's own variants (jodb-tree) get a column of figures, not a ratio of jodb to them
        return options.stores().stream().filter(s -> !s.startsWith("jodb")).toList();
    }

    private boolean hasJodb() {
        return options.stores().contains("jodb");
    }

    private void appendTable(StringBuilder md) {
        md.append("Median ops/s (min–max over the rounds); ratio = jodb median / peer median.\n\n");
        md.append("| workload | mode |");
        for (String s : options.stores()) {
            md.append(' ').append(s).append(" |");
        }
        if (hasJodb()) {
            for (String p : peers()) {
                md.append(" jodb/").append(p).append(" |");
            }
        }
        md.append('\n').append("|---|---|");
        md.append("---:|".repeat(options.stores().size() + (hasJodb() ? peers().size() : 0)));
        md.append('\n');
        for (Workload w : options.workloads()) {
            for (Durability mode : options.modes()) {
                md.append("| ").append(w.number).append(". ").append(w.title).append(" (").append(w.unit).append(")")
                        .append(" | ").append(mode.label).append(" |");
                for (String s : options.stores()) {
                    md.append(' ').append(cell(new Results.Key(s, w, mode))).append(" |");
                }
                if (hasJodb()) {
                    for (String p : peers()) {
                        md.append(' ').append(ratioCell(w, mode, p)).append(" |");
                    }
                }
                md.append('\n');
            }
        }
        md.append('\n');
        for (Workload w : List.of(Workload.CONCURRENT, Workload.TWO_JVMS)) {
            for (Durability mode : options.modes()) {
                if (options.workloads().contains(w)) {
                    for (String s : options.stores()) {
                        Results.Key key = new Results.Key(s, w, mode);
                        double c = results.conflictRate(key);
                        if (!Double.isNaN(c)) {
                            md.append(String.format(Locale.ROOT, "Workload %d, %s, %s: %.4f retries per commit, %d"
                                    + " transfers given up.  %n", w.number, s, mode.label, c, results.giveUps(key)));
                        }
                    }
                }
            }
        }
        md.append('\n');
    }

    private String cell(Results.Key key) {
        String reason = results.cannot(key);
        if (reason != null) {
            return "n/a: " + reason;
        }
        List<Double> rates = results.rates(key);
        if (rates.isEmpty()) {
            return "–";
        }
        double min = rates.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = rates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%s (%s–%s)", num(Results.median(rates)), num(min), num(max));
    }

    /** The ratio jodb/peer, or NaN when either has no figure. */
    double ratio(Workload w, Durability mode, String peer) {
        return results.median(new Results.Key("jodb", w, mode)) / results.median(new Results.Key(peer, w, mode));
    }

    private String ratioCell(Workload w, Durability mode, String peer) {
        double r = ratio(w, mode, peer);
        return Double.isNaN(r) ? "–" : String.format(Locale.ROOT, "%.2f×", r);
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private void appendTargets(StringBuilder md) {
        appendPostgresTargets(md);
        if (!hasJodb()) {
            return;
        }
        md.append("## Targets (same run)\n\n");
        for (Workload w : List.of(Workload.INSERT, Workload.COLD_READ)) {
            for (String peer : List.of("mvstore", "eclipsestore")) {
                for (Durability mode : options.modes()) {
                    double r = ratio(w, mode, peer);
                    if (!Double.isNaN(r)) {
                        target(md, String.format(Locale.ROOT, "workload %d, %s: jodb ≥ 3× %s", w.number, mode.label,
                                peer), String.format(Locale.ROOT, "%.2f×", r), r >= 3);
                    }
                }
            }
        }
        Results.Key w2sync = new Results.Key("jodb", Workload.UPDATE, Durability.SYNC);
        double jodbW2 = results.median(w2sync);
        if (!Double.isNaN(jodbW2)) {
            double best = Double.NaN;
            String bestName = null;
            for (String p : peers()) {
                double v = results.median(new Results.Key(p, Workload.UPDATE, Durability.SYNC));
                if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) {
                    best = v;
                    bestName = p;
                }
            }
            if (bestName != null) {
                target(md, "workload 2, fsync per commit: jodb ≥ 1× the best peer (" + bestName + ")",
                        String.format(Locale.ROOT, "%.2f×", jodbW2 / best), jodbW2 >= best);
            }
            double fsync = results.fsyncMedianNanos();
            if (!Double.isNaN(fsync)) {
                double share = jodbW2 / (1e9 / fsync);
                target(md, "workload 2, fsync per commit: jodb ≥ 80% of the raw fsync rate",
                        String.format(Locale.ROOT, "%.0f%%", 100 * share), share >= 0.8);
            }
            double w5 = results.median(new Results.Key("jodb", Workload.CONCURRENT, Durability.SYNC));
            if (!Double.isNaN(w5)) {
                target(md, "workload 5 ≥ 3× workload 2, fsync per commit (group commit)",
                        String.format(Locale.ROOT, "%.2f×", w5 / jodbW2), w5 >= 3 * jodbW2);
            }
        }
        md.append('\n');
    }

    /** jodb on PostgreSQL against plain JDBC on the same server, and against itself on one process. */
    private void appendPostgresTargets(StringBuilder md) {
        double w2 = results.median(new Results.Key("jodb-postgres", Workload.UPDATE, Durability.SYNC));
        if (Double.isNaN(w2)) {
            return;
        }
        md.append("## PostgreSQL targets (same run)\n\n");
        double jdbc = results.median(new Results.Key("jdbc-postgres", Workload.UPDATE, Durability.SYNC));
        if (!Double.isNaN(jdbc)) {
            target(md, "workload 2: jodb-postgres ≥ 70% of jdbc-postgres",
                    String.format(Locale.ROOT, "%.0f%%", 100 * w2 / jdbc), w2 >= 0.7 * jdbc);
        }
        double w5 = results.median(new Results.Key("jodb-postgres", Workload.CONCURRENT, Durability.SYNC));
        if (!Double.isNaN(w5)) {
            md.append(String.format(Locale.ROOT, "- workload 5 (one JVM): %.2f× workload 2%n", w5 / w2));
        }
        double w8 = results.median(new Results.Key("jodb-postgres", Workload.TWO_JVMS, Durability.SYNC));
        if (!Double.isNaN(w8)) {
            target(md, "workload 5 across 2 JVMs (workload 8) ≥ 3× workload 2",
                    String.format(Locale.ROOT, "%.2f×", w8 / w2), w8 >= 3 * w2);
        }
        md.append('\n');
    }

    private static void target(StringBuilder md, String what, String value, boolean met) {
        md.append("- ").append(what).append(": ").append(value).append(" — ").append(met ? "met" : "**missed**")
                .append('\n');
    }

    private void appendNotes(StringBuilder md) {
        md.append("## What each mode means per store\n\n");
        for (Map.Entry<String, String> p : results.products().entrySet()) {
            md.append("- **").append(p.getValue()).append("**: ");
            Map<Durability, String> notes = results.modeNotes().getOrDefault(p.getKey(), Map.of());
            StringBuilder line = new StringBuilder();
            for (Map.Entry<Durability, String> n : notes.entrySet()) {
                if (line.length() > 0) {
                    line.append("; ");
                }
                line.append(n.getKey().label).append(" = ").append(n.getValue());
            }
            md.append(line).append('\n');
        }
        md.append('\n');
    }
}
