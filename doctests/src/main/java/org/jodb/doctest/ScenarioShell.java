package org.jodb.doctest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;

/**
 * One JShell session (a "shell" here, so as not to be confused with the object layer): the snippets of one scenario file, evaluated top to bottom in this process, all
 * on one thread (see {@link SnippetThreadExecutionControl}).
 *
 * <p>A snippet may hold several statements or declarations; they are split with JShell's own
 * {@link SourceCodeAnalysis} and evaluated in order, stopping at the first exception or compile error.
 * What a snippet shows: everything it printed to {@code System.out} and {@code System.err} (in the
 * order printed), then the value of each piece that has one and is not followed by {@code ;}: an
 * expression, or a variable declaration ({@code var x = 1} shows {@code 1}). Values are rendered as
 * JShell renders them: strings and chars quoted and escaped, {@code null}, otherwise
 * {@code String.valueOf}. An exception shows as {@code Exception <class>: <message>}. The value of a
 * piece that is not shown is not rendered either: its {@code toString()} is never called.
 *
 * <p>Not thread-safe: one caller evaluates snippets one at a time.
 */
final class ScenarioShell {

    /** System property: seconds a single snippet may run before it is stopped (default 120). */
    static final String TIMEOUT_PROPERTY = "jodb.doctest.timeout";

    /** The name of JShell's wrapper class of a snippet ({@code REPL.$JShell$12B}), as a regular expression. */
    static final String WRAPPER = "REPL\\.\\$JShell\\$\\d+[A-Z]?";

    /** A wrapper's name and the separator after it, as it starts a name declared inside it. */
    private static final String WRAPPER_PREFIX = WRAPPER + "[.$]";

    /** The imports of JShell's DEFAULT startup, so scenarios read as they would in the jshell tool. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*",
            "java.util.concurrent.*", "java.util.function.*", "java.util.prefs.*", "java.util.regex.*",
            "java.util.stream.*");

    static {
        // Output that depends on what ran first would make scenarios flaky: SLF4J (a dependency of
        // Chronicle Map) warns on System.err the first time it is used without a provider, and
        // Chronicle would try to send usage analytics. Both are settings a user can still override.
        System.getProperties().putIfAbsent("slf4j.internal.verbosity", "ERROR");
        System.getProperties().putIfAbsent("chronicle.analytics.disable", "true");
    }

    private final SnippetThreadEngine engine;
    private final JShell shell;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);

    /** The snippet time limit: the {@value #TIMEOUT_PROPERTY} property, in seconds, else two minutes. */
    static Duration defaultTimeout() {
        return Duration.ofSeconds(Long.getLong(TIMEOUT_PROPERTY, 120));
    }

    ScenarioShell(String name, Duration timeout) {
        engine = new SnippetThreadEngine(ScenarioShell.class.getClassLoader(), timeout, "jshell " + name);
        shell = JShell.builder()
                .executionEngine(engine, Map.of())
                .in(new ByteArrayInputStream(new byte[0]))
                .out(capture)
                .err(capture)
                .build();
        shell.addToClasspath(classPath());
        for (String imported : DEFAULT_IMPORTS) {
            Outcome outcome = evaluate("import " + imported + ";");
            if (outcome.kind() != Outcome.Kind.COMPLETED) {
                throw new IllegalStateException("JShell could not import " + imported + ": " + outcome.output());
            }
        }
    }

    /** Evaluates one snippet's source and renders what it showed. */
    Outcome evaluate(String source) {
        if (engine.isStuck()) {
            return new Outcome(Outcome.Kind.NOT_RUN, "not run: an earlier snippet of this file never finished");
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        captured.reset();
        System.setOut(capture);
        System.setErr(capture);
        // A snippet reading System.in would wait on the runner's own input: a terminal, or under Maven
        // the channel through which surefire talks to its forked JVM. It reads end of input instead.
        System.setIn(new ByteArrayInputStream(new byte[0]));
        try {
            List<Snippet> unresolved = new ArrayList<>();
            Outcome.Kind kind = evaluatePieces(source, unresolved);
            capture.flush();
            unresolved.removeIf(snippet -> unresolvedProblem(snippet) == null);
            return new Outcome(kind, captured.toString(StandardCharsets.UTF_8), List.copyOf(unresolved));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    private Outcome.Kind evaluatePieces(String source, List<Snippet> declared) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = source;
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case EMPTY:
                    return Outcome.Kind.COMPLETED;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    show("Error: the snippet ends before its code is complete (unbalanced braces or"
                            + " parentheses, or a statement cut short):\n" + remaining.strip());
                    return Outcome.Kind.INCOMPLETE;
                default:
                    break;
            }
            // UNKNOWN: JShell cannot split what is left; evaluate it whole, so its errors are reported.
            boolean whole = info.completeness() == SourceCodeAnalysis.Completeness.UNKNOWN;
            String piece = whole ? remaining : info.source(); // source() adds a missing final ';'
            String written = whole ? remaining : remaining.substring(0, remaining.length() - info.remaining().length());
            remaining = whole ? "" : info.remaining();
            Outcome.Kind kind = evaluatePiece(piece, !written.strip().endsWith(";"), declared);
            if (kind != Outcome.Kind.COMPLETED) {
                return kind;
            }
        }
        return Outcome.Kind.COMPLETED;
    }

    private Outcome.Kind evaluatePiece(String piece, boolean showValue, List<Snippet> declared) {
        engine.renderValues(showValue);
        List<SnippetEvent> events = shell.eval(piece);
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // an update of an earlier snippet caused by this one, not this one's result
            }
            Snippet snippet = event.snippet();
            if (event.status() == Snippet.Status.REJECTED) {
                show(compileErrors(snippet));
                return Outcome.Kind.COMPILE_ERROR;
            }
            JShellException thrown = event.exception();
            if (thrown instanceof UnresolvedReferenceException) {
                Snippet unusable = ((UnresolvedReferenceException) thrown).getSnippet();
                show("Error: " + describe(unusable) + " cannot be used until "
                        + unresolved(unusable) + " is declared");
                return Outcome.Kind.COMPILE_ERROR;
            }
            if (thrown != null) {
                show(exceptionLine(thrown));
                return engine.isStuck() ? Outcome.Kind.TIMED_OUT : Outcome.Kind.EXCEPTION;
            }
            if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                    || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                declared.add(snippet);
            }
            boolean hasValue = snippet.kind() == Snippet.Kind.EXPRESSION || snippet.kind() == Snippet.Kind.VAR;
            if (showValue && hasValue && event.value() != null) {
                show(event.value());
            }
        }
        return Outcome.Kind.COMPLETED;
    }

    /**
     * Why a declaration cannot be used yet, or {@code null} when it can. JShell accepts a class or
     * method that uses a name declared only later (a forward reference); the runner accepts it too, as
     * long as the name is declared by the end of the file. The caller asks at the end of the file.
     */
    String unresolvedProblem(Snippet snippet) {
        Snippet.Status status = shell.status(snippet);
        if (status != Snippet.Status.RECOVERABLE_DEFINED && status != Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            return null;
        }
        String diagnostics = compileErrors(snippet);
        return diagnostics.isEmpty()
                ? "Error: " + describe(snippet) + " refers to " + unresolved(snippet)
                        + ", which is never declared"
                : diagnostics;
    }

    static String exceptionLine(JShellException thrown) {
        String type = thrown instanceof EvalException
                ? ((EvalException) thrown).getExceptionClassName()
                : thrown.getClass().getName();
        return "Exception " + declaredName(type)
                + (thrown.getMessage() == null ? "" : ": " + declaredNamesIn(thrown.getMessage()));
    }

    /**
     * A class declared in a snippet is compiled as a member of a JShell wrapper class
     * ({@code REPL.$JShell$16$CustomFailure}); name it as the scenario declared it ({@code CustomFailure}).
     */
    static String declaredName(String className) {
        return className.replaceFirst("^" + WRAPPER_PREFIX, "");
    }

    /**
     * The same inside a message: a helpful {@code NullPointerException} says
     * {@code "REPL.$JShell$13.db" is null}, jodb's conflicts name {@code REPL.$JShell$16$Counter}; the
     * scenario reads {@code "db" is null} and {@code Counter}, which do not change when a snippet is
     * added above them.
     */
    static String declaredNamesIn(String message) {
        return message.replaceAll(WRAPPER_PREFIX, "");
    }

    private String compileErrors(Snippet snippet) {
        return shell.diagnostics(snippet)
                .filter(Diag::isError)
                .map(diag -> "Error: " + diag.getMessage(Locale.ROOT) + "\n" + pointAt(snippet.source(), diag))
                .collect(Collectors.joining("\n"));
    }

    /** The source line the diagnostic is about, with a caret under its position. */
    private static String pointAt(String source, Diag diag) {
        long position = diag.getStartPosition();
        if (position < 0 || position > source.length()) {
            return source.strip();
        }
        int start = source.lastIndexOf('\n', (int) Math.max(0, position - 1)) + 1;
        int end = source.indexOf('\n', (int) position);
        String line = source.substring(start, end < 0 ? source.length() : end);
        return line + "\n" + " ".repeat((int) position - start) + "^";
    }

    private String unresolved(Snippet snippet) {
        Set<String> names = new LinkedHashSet<>();
        if (snippet instanceof DeclarationSnippet) {
            shell.unresolvedDependencies((DeclarationSnippet) snippet).forEach(names::add);
        }
        return names.isEmpty() ? "something" : String.join(", ", names);
    }

    private static String describe(Snippet snippet) {
        String first = snippet.source().strip().lines().findFirst().orElse("");
        return "'" + first + "'";
    }

    /** Appends a line to the captured output, starting a new line if printed text did not end one. */
    private void show(String text) {
        capture.flush();
        byte[] sofar = captured.toByteArray();
        if (sofar.length > 0 && sofar[sofar.length - 1] != '\n') {
            capture.print('\n');
        }
        capture.print(text);
        capture.print('\n');
        capture.flush();
    }

    /** Where the runner's classes came from, plus the JVM's class path: what snippets compile against. */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        CodeSource code = ScenarioShell.class.getProtectionDomain().getCodeSource();
        if (code != null && code.getLocation() != null) {
            try {
                entries.add(Path.of(code.getLocation().toURI()).toAbsolutePath().toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
                // not a file location (unusual); the JVM class path below still applies
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Closes the databases the file left open (see {@link Leftovers}), then the JShell session.
     *
     * @param held receives the paths the file's variables hold, for {@link TemporaryFiles#deleteNew}
     * @return what could not be closed
     */
    List<String> close(Set<Path> held) {
        try {
            return engine.closeLeftovers(held);
        } finally {
            shell.close();
        }
    }
}
