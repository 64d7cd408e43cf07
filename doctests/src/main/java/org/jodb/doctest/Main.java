package org.jodb.doctest;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jodb.spi.StorageProvider;

/**
 * Command line: {@code java -jar jodb-doctests.jar [--verbose] [--store URL] FILE.md|DIR ...}. Runs each
 * markdown file (a directory: every {@code .md} file under it, in path order), prints one line per file and a
 * report per failure, and exits 0 only when every example passed (1 when one failed, 2 on bad usage). With
 * {@code --store jdbc:postgresql:...} the scenarios' directories are PostgreSQL schemas
 * ({@link PostgresDirectories}) and examples tagged {@value ScenarioParser#FILE_STORE_ONLY} are skipped, counted
 * per file.
 */
public final class Main {

    private Main() {
    }

    /** The example running now, for {@link #stoppedEarly}; {@code null} between files. */
    private static volatile Example running;

    /** Set when {@link #run} returned: from then on, the JVM's exit is the runner's own. */
    private static volatile boolean finished;

    public static void main(String[] args) {
        // Before any Chronicle class loads: it would otherwise try to send usage analytics.
        System.setProperty("chronicle.analytics.disable", "true");
        PrintStream out = new EscapingPrintStream(new FileOutputStream(FileDescriptor.out),
                EscapingPrintStream.stdoutCharset());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stoppedEarly(out), "jodb-doctests exit guard"));
        int status = run(args, out);
        finished = true;
        System.exit(status);
    }

    /**
     * A snippet that calls {@code System.exit(0)} would end the run with status 0, silently, with the
     * files after it never run. The JVM runs this hook whenever it exits: unless the runner itself
     * finished, it says which example was running and makes the status 1.
     */
    static void stoppedEarly(PrintStream out) {
        if (finished) {
            return;
        }
        Example at = running;
        out.println();
        out.println("FAILED: the run stopped before it finished"
                + (at == null ? "" : ", while running " + at.location() + ": " + at.title())
                + " (a snippet called System.exit, or the JVM was told to stop); the rest did not run");
        out.flush();
        Runtime.getRuntime().halt(1);
    }

    static int run(String[] args, PrintStream out) {
        boolean verbose = false;
        String store = null;
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--verbose") || arg.equals("-v")) {
                verbose = true;
            } else if (arg.equals("--store") || arg.startsWith("--store=")) {
                if (arg.equals("--store") && i + 1 == args.length) {
                    out.println("--store needs a URL\n" + usage());
                    return 2;
                }
                store = arg.equals("--store") ? args[++i] : arg.substring("--store=".length());
            } else if (arg.equals("--help") || arg.equals("-h")) {
                out.println(usage());
                return 0;
            } else if (arg.startsWith("-")) {
                out.println("unknown option " + arg + "\n" + usage());
                return 2;
            } else {
                roots.add(Path.of(arg));
            }
        }
        if (roots.isEmpty()) {
            out.println(usage());
            return 2;
        }
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                out.println("no such file or directory: " + root.toAbsolutePath());
                return 2;
            }
            List<Path> found = markdownFiles(root);
            if (found.isEmpty()) {
                // Most likely a wrong path: passing with nothing run would hide that.
                out.println("no .md files under " + root.toAbsolutePath() + "; name a scenario file or a"
                        + " directory that holds some");
                return 2;
            }
            files.addAll(found);
        }
        return store == null ? runFiles(files, verbose, out) : runOnPostgres(store, files, verbose, out);
    }

    /**
     * {@code --store}: runs the files with their directories sent to PostgreSQL ({@link PostgresDirectories},
     * chosen for {@code Database.open(Path)} through the system property core reads), then drops what it made.
     */
    private static int runOnPostgres(String store, List<Path> files, boolean verbose, PrintStream out) {
        String problem = PostgresDirectories.check(store);
        if (problem != null) {
            out.println(problem);
            return 2;
        }
        String before = System.getProperty(StorageProvider.PATH_PROVIDER_PROPERTY);
        PostgresDirectories.activate(store);
        System.setProperty(StorageProvider.PATH_PROVIDER_PROPERTY, PostgresDirectoryProvider.class.getName());
        out.println("store: " + PostgresDirectories.shown(store) + " (each directory a scenario opens is a"
                + " schema of its own, dropped at the end; Database.inMemory() stays in memory; blocks tagged "
                + ScenarioParser.FILE_STORE_ONLY + " are skipped)");
        try {
            return runFiles(files, verbose, out);
        } finally {
            int made = PostgresDirectories.active().schemasMade();
            List<String> left = PostgresDirectories.deactivate();
            left.forEach(warning -> out.println("warning: " + warning));
            out.println("store: " + made + " schema(s) made on " + PostgresDirectories.shown(store)
                    + (left.isEmpty() ? ", all dropped" : ""));
            if (before == null) {
                System.clearProperty(StorageProvider.PATH_PROVIDER_PROPERTY);
            } else {
                System.setProperty(StorageProvider.PATH_PROVIDER_PROPERTY, before);
            }
        }
    }

    private static int runFiles(List<Path> files, boolean verbose, PrintStream out) {
        int failedFiles = 0;
        int examples = 0;
        int failedExamples = 0;
        int skippedExamples = 0;
        for (Path file : files) {
            List<ExampleResult> failures = new ArrayList<>();
            boolean listEach = verbose;
            List<ExampleResult> results = ScenarioRun.runAll(file, example -> running = example, result -> {
                if (listEach) {
                    out.println("  " + (result.passed() ? "ok  " : result.skipped() ? "skip" : "FAIL") + " line "
                            + result.example().line() + ": " + result.example().title());
                }
                if (result.failed()) {
                    failures.add(result);
                }
            });
            running = null;
            int skipped = (int) results.stream().filter(ExampleResult::skipped).count();
            skippedExamples += skipped;
            int run = (int) results.stream().map(ExampleResult::example).distinct().count() - skipped;
            examples += run;
            int failed = (int) failures.stream().map(ExampleResult::example).distinct().count();
            failedExamples += failed;
            String skips = skipped == 0 ? "" : ", " + skipped + " skipped: " + ScenarioParser.FILE_STORE_ONLY;
            if (failures.isEmpty()) {
                out.println("passed " + file + " (" + count(run) + skips + ")");
            } else {
                failedFiles++;
                out.println("FAILED " + file + " (" + failed + " of " + count(run) + " failed" + skips + ")");
                for (ExampleResult failure : failures) {
                    out.println();
                    out.print(failure.report());
                }
                out.println();
            }
        }
        out.println((failedFiles == 0 ? "All passed: " : "FAILED: ") + files.size() + " file(s), "
                + count(examples) + (failedExamples == 0 ? "" : ", " + failedExamples + " failed in "
                + failedFiles + " file(s)") + (skippedExamples == 0 ? "" : ", " + skippedExamples + " skipped"));
        return failedFiles == 0 ? 0 : 1;
    }

    static List<Path> markdownFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(path -> Files.isRegularFile(path) && path.toString().endsWith(".md"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private static String count(int examples) {
        return examples + (examples == 1 ? " example" : " examples");
    }

    private static String usage() {
        return "usage: java -jar jodb-doctests.jar [--verbose] [--store jdbc:postgresql://host:port/db?user=...]"
                + " FILE.md|DIR ...\n"
                + "  runs the jshell blocks of markdown scenarios; exits 0 only when all passed\n"
                + "  --store URL  runs them on PostgreSQL: each directory a scenario opens with Database.open(Path)\n"
                + "               is a schema of its own on that server, dropped at the end; Database.inMemory()\n"
                + "               stays in memory; blocks tagged " + ScenarioParser.FILE_STORE_ONLY
                + " (about the file store itself) are skipped";
    }
}
