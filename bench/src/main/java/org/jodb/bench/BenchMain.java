package org.jodb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Entry point of {@code jodb-bench.jar}: the peer comparison ({@link PeerBenchmark}), with
 * {@code --scaling} the concurrent writers ({@link ScalingBenchmark}), with {@code --storage} the storage
 * alone against its speed targets ({@link StorageAloneBenchmark}), with {@code --bigmap} cold gets and range
 * scans in a large map ({@link BigMapBenchmark}), or with {@code --jmh} the JMH microbenchmarks (all further
 * arguments go to JMH).
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        // Before any Chronicle class loads: an embedded database must not phone home.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("java.awt.headless", "true");
        if (args.length > 0 && args[0].equals("--jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(Arrays.asList(args).contains("--bigmap") ? BigMapOptions.USAGE : BenchOptions.USAGE);
            return;
        }
        String command = "java -jar bench/target/jodb-bench.jar" + (args.length == 0 ? "" : " " + String.join(" ", args));
        if (Arrays.asList(args).contains("--bigmap")) {
            bigMap(Arrays.stream(args).filter(a -> !a.equals("--bigmap")).toArray(String[]::new), command);
            return;
        }
        boolean scaling = Arrays.asList(args).contains("--scaling");
        boolean storage = Arrays.asList(args).contains("--storage");
        if (scaling || storage) {
            args = Arrays.stream(args).filter(a -> !a.equals("--scaling") && !a.equals("--storage"))
                    .toArray(String[]::new);
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (storage) {
            writeReport(options, "storage", new StorageAloneBenchmark(options, System.out).run(), command);
            return;
        }
        if (scaling) {
            writeReport(options, "scaling", new ScalingBenchmark(options, System.out).run(), command);
            return;
        }
        long t0 = System.nanoTime();
        Results results = new PeerBenchmark(options, System.out).run();
        MarkdownReport report = new MarkdownReport(options, results, command);
        String md = report.render();
        md += String.format("Run took %.0f s.%n", (System.nanoTime() - t0) / 1e9);
        System.out.println();
        System.out.println(md);
        write(options, report, md);
    }

    private static void bigMap(String[] args, String command) throws IOException {
        BigMapOptions options;
        try {
            options = BigMapOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        long t0 = System.nanoTime();
        BigMapResults results = new BigMapBenchmark(options, System.out).run();
        String md = new BigMapReport(options, results, command).render()
                + String.format(Locale.ROOT, "Run took %.0f s.%n", (System.nanoTime() - t0) / 1e9);
        System.out.println(md);
        Files.createDirectories(options.outDir());
        Path file = options.outDir().resolve(options.reportFile());
        Files.writeString(file, md);
        System.out.println("wrote " + file);
    }

    /** Prints a markdown report and writes it, with the command that made it, to {@code <stem>[-quick].md}. */
    private static void writeReport(BenchOptions options, String stem, String md, String command)
            throws IOException {
        System.out.println(md);
        Files.createDirectories(options.outDir());
        Path file = options.outDir().resolve(options.quick() ? stem + "-quick.md" : stem + ".md");
        Files.writeString(file, md + "Command: `" + command + "`\n");
        System.out.println("wrote " + file);
    }

    private static void write(BenchOptions options, MarkdownReport report, String md) {
        String stem = options.quick() ? "peers-quick" : "peers";
        try {
            Files.createDirectories(options.outDir());
            Path mdFile = options.outDir().resolve(stem + ".md");
            Files.writeString(mdFile, md);
            System.out.println("wrote " + mdFile);
            Path png = options.outDir().resolve(stem + ".png");
            if (RatioChart.write(options, report, png)) {
                System.out.println("wrote " + png);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
