package org.jodb.doctest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import jdk.jshell.Snippet;
import java.util.List;
import java.util.function.Consumer;

/**
 * The run of one scenario file: its examples in order, in one {@link ScenarioShell} that starts with the
 * first snippet and closes with {@link #close()}. Examples can be run one at a time (a JUnit dynamic
 * test per example, then {@link #finish()}) or all at once ({@link #runAll}).
 */
final class ScenarioRun implements AutoCloseable {

    private final Path file;
    private final List<Example> examples;
    private final Duration timeout;
    private ScenarioShell session;
    private boolean closed;
    /** What the temporary directory held before this file: see {@link #close()}. */
    private final TemporaryFiles temporaryFiles;
    /** The JVM's defaults before this file: put back by {@link #close()}. */
    private final ProcessDefaults defaults;
    /** Declarations that used names not declared yet, with the example that made them. */
    private final Map<Snippet, Example> unresolved = new LinkedHashMap<>();

    ScenarioRun(Path file) {
        this(file, ScenarioShell.defaultTimeout());
    }

    /** @param timeout how long one snippet may run before it fails and the rest of the file is skipped */
    ScenarioRun(Path file, Duration timeout) {
        this.temporaryFiles = new TemporaryFiles();
        this.defaults = new ProcessDefaults();
        this.file = file;
        this.examples = ScenarioParser.parse(file);
        this.timeout = timeout;
    }

    Path file() {
        return file;
    }

    List<Example> examples() {
        return examples;
    }

    /** Runs one example; call in file order. Never throws for a problem of the scenario. */
    ExampleResult run(Example example) {
        if (example.isMalformed()) {
            return ExampleResult.malformed(example);
        }
        if (example.fileStoreOnly() && PostgresDirectories.active() != null) {
            return ExampleResult.skipped(example);
        }
        Outcome outcome;
        try {
            if (session == null) {
                session = new ScenarioShell(file.getFileName().toString(), timeout);
            }
            outcome = session.evaluate(example.source());
            outcome.unresolved().forEach(snippet -> unresolved.put(snippet, example));
        } catch (RuntimeException | Error e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            outcome = new Outcome(Outcome.Kind.NOT_RUN, "not run: the runner failed: " + trace);
        }
        return ExampleResult.judge(example, outcome);
    }

    /**
     * After the last example: a compile error for each example that declared something using a name
     * that no snippet of the file declared (forward references are fine, dangling ones are not).
     */
    List<ExampleResult> finish() {
        Map<Example, List<String>> problems = new LinkedHashMap<>();
        if (session != null) {
            unresolved.forEach((snippet, example) -> {
                String problem = session.unresolvedProblem(snippet);
                if (problem != null) {
                    problems.computeIfAbsent(example, any -> new ArrayList<>()).add(problem);
                }
            });
        }
        List<ExampleResult> results = new ArrayList<>();
        problems.forEach((example, messages) -> results.add(ExampleResult.judge(example,
                new Outcome(Outcome.Kind.COMPILE_ERROR, String.join("\n", messages)))));
        return results;
    }

    /** Runs every example of the file, telling {@code listener} about each, and closes the session. */
    static List<ExampleResult> runAll(Path file, Consumer<ExampleResult> listener) {
        return runAll(file, example -> { }, listener);
    }

    /** As {@link #runAll(Path, Consumer)}, telling {@code starting} about each example before it runs. */
    static List<ExampleResult> runAll(Path file, Consumer<Example> starting, Consumer<ExampleResult> listener) {
        List<ExampleResult> results = new ArrayList<>();
        try (ScenarioRun run = new ScenarioRun(file)) {
            for (Example example : run.examples()) {
                starting.accept(example);
                ExampleResult result = run.run(example);
                listener.accept(result);
                results.add(result);
            }
            for (ExampleResult result : run.finish()) {
                listener.accept(result);
                results.add(result);
            }
        }
        return results;
    }

    /**
     * Ends the file: closes the databases it left open and its JShell session (and, on PostgreSQL, every
     * storage opened for it: {@link PostgresDirectories#endOfFile}), deletes the temporary files it made, and
     * puts back the JVM defaults it changed (see {@link Leftovers}, {@link TemporaryFiles},
     * {@link ProcessDefaults}), also after a failure or an exception, so that the next file starts clean. What cannot be cleaned up is told on
     * {@code System.err}; it does not fail the file.
     */
    @Override
    public void close() {
        if (closed) {
            return; // a second close may come when another file already runs: its files are not ours
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        Set<Path> held = new LinkedHashSet<>();
        if (session != null) {
            ScenarioShell ending = session;
            session = null;
            problems.addAll(ending.close(held));
        }
        PostgresDirectories postgres = PostgresDirectories.active();
        if (postgres != null) {
            problems.addAll(postgres.endOfFile());
        }
        temporaryFiles.deleteNew(held).forEach(path -> problems.add("could not delete " + path));
        defaults.restore();
        problems.forEach(problem -> System.err.println("warning: " + file + ": " + problem));
    }
}
