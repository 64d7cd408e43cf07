package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jodb.doctest.ExampleResult.Verdict;
import org.junit.jupiter.api.Test;

class ScenarioRunTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    private static final Map<Path, List<ExampleResult>> RUNS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Runs a fixture once for all the tests that look at it. */
    private static List<ExampleResult> run(String fixture) {
        return RUNS.computeIfAbsent(FIXTURES.resolve(fixture), file -> ScenarioRun.runAll(file, result -> { }));
    }

    /** Verdict by line, in file order; for a line with two results (see finish()), the later one. */
    private static Map<Integer, Verdict> verdicts(List<ExampleResult> results) {
        return results.stream().collect(Collectors.toMap(
                result -> result.example().line(), ExampleResult::verdict, (first, later) -> later, LinkedHashMap::new));
    }

    private static ExampleResult at(List<ExampleResult> results, int line) {
        return results.stream().filter(result -> result.example().line() == line).findFirst().orElseThrow();
    }

    @Test
    void passingFileRunsEveryExampleInOneSession() {
        List<ExampleResult> results = run("passing.md");

        assertEquals(13, results.size());
        assertTrue(results.stream().allMatch(ExampleResult::passed), () -> results.stream()
                .filter(result -> !result.passed()).map(ExampleResult::report).collect(Collectors.joining("\n")));
        assertEquals(40, results.get(12).example().line(), "the second block's snippet keeps its file line");
    }

    @Test
    void eachKindOfFailureIsReportedAndLaterExamplesStillRun() {
        List<ExampleResult> results = run("failures.md");

        Map<Integer, Verdict> expected = new LinkedHashMap<>();
        expected.put(4, Verdict.OUTPUT_DIFFERS);
        expected.put(6, Verdict.COMPILE_ERROR);
        expected.put(8, Verdict.UNEXPECTED_EXCEPTION);
        expected.put(10, Verdict.OUTPUT_DIFFERS);
        expected.put(16, Verdict.PASSED);
        expected.put(23, Verdict.COMPILE_ERROR); // reported at the end of the file: never declared
        expected.put(25, Verdict.PASSED);
        expected.put(28, Verdict.PASSED);
        expected.put(30, Verdict.INCOMPLETE_SNIPPET);
        assertEquals(expected, verdicts(results));
        assertEquals(10, results.size());
        assertEquals(23, results.get(9).example().line(), "the dangling reference is the last result");
    }

    @Test
    void mismatchReportNamesFileLineSnippetExpectedAndActual() {
        String report = at(run("failures.md"), 4).report();

        assertEquals(FIXTURES.resolve("failures.md") + ":4: output differs\n"
                + "    jshell> 1 + 1\n"
                + "Expected:\n"
                + "    3\n"
                + "Actual:\n"
                + "    2\n", report);
    }

    @Test
    void multiLineMismatchShowsALineDiff() {
        String report = at(run("failures.md"), 10).report();

        assertTrue(report.startsWith(FIXTURES.resolve("failures.md") + ":10: output differs\n"
                + "    jshell> for (int i = 0; i < 3; i++) {\n"
                + "       ...>     System.out.println(\"line \" + i);\n"
                + "       ...> }\n"), report);
        assertTrue(report.endsWith("Diff (- expected, + actual):\n"
                + "      line 0\n"
                + "    + line 1\n"
                + "    - line one\n"
                + "      line 2\n"), report);
    }

    @Test
    void compileErrorAndUnexpectedExceptionShowWhatHappened() {
        List<ExampleResult> results = run("failures.md");

        assertTrue(at(results, 6).report().contains("Error: cannot find symbol"), at(results, 6).report());
        assertTrue(at(results, 6).report().contains("variable undefinedName"), at(results, 6).report());
        assertTrue(at(results, 8).report().contains("Actual:\n    Exception java.lang.IllegalStateException: boom\n"),
                at(results, 8).report());
        assertTrue(results.get(9).report().contains("method notDeclaredYet(), which is never declared"),
                results.get(9).report());
    }

    @Test
    void malformedTranscriptsAreFailuresAtTheirLines() {
        List<ExampleResult> results = run("malformed.md");

        Map<Integer, Verdict> expected = new LinkedHashMap<>();
        expected.put(4, Verdict.MALFORMED_TRANSCRIPT);  // continuation with no prompt
        expected.put(6, Verdict.PASSED);
        expected.put(8, Verdict.MALFORMED_TRANSCRIPT);  // continuation after output
        expected.put(9, Verdict.PASSED);
        expected.put(14, Verdict.MALFORMED_TRANSCRIPT); // output before any prompt
        expected.put(15, Verdict.PASSED);
        expected.put(19, Verdict.MALFORMED_TRANSCRIPT); // unclosed block: its snippet never runs
        assertEquals(expected, verdicts(results));
        assertTrue(at(results, 19).report().contains("never closed"), at(results, 19).report());
    }

    @Test
    void wildcardMatchesAnyTextAcrossLines() {
        List<ExampleResult> results = run("wildcard.md");

        assertEquals(5, results.size());
        assertTrue(results.stream().allMatch(ExampleResult::passed));
    }

    @Test
    void exceptionsRenderWithAndWithoutMessages() {
        List<ExampleResult> results = run("exceptions.md");

        assertEquals(10, results.size());
        assertTrue(results.stream().allMatch(ExampleResult::passed), () -> results.stream()
                .filter(result -> !result.passed()).map(ExampleResult::report).collect(Collectors.joining("\n")));
    }

    @Test
    void aValueWhoseToStringThrowsShowsTheException() {
        List<ExampleResult> results = run("rendering.md");

        assertEquals(6, results.size());
        assertTrue(results.stream().allMatch(ExampleResult::passed), () -> results.stream()
                .filter(result -> !result.passed()).map(ExampleResult::report).collect(Collectors.joining("\n")));
    }

    @Test
    void snippetsShareOneThreadAndTheClassesDeclaredBeforeOrAfter() {
        List<ExampleResult> results = run("sessions.md");

        assertTrue(results.stream().allMatch(ExampleResult::passed), () -> results.stream()
                .filter(result -> !result.passed()).map(ExampleResult::report).collect(Collectors.joining("\n")));
        assertEquals(22, results.size());
    }

    @Test
    void aSnippetReadingSystemInReadsEndOfInputNotTheRunnersInput() throws Exception {
        InputStream in = System.in;
        // An input that never ends, like a terminal nobody types into.
        try (PipedOutputStream neverWritten = new PipedOutputStream()) {
            System.setIn(new PipedInputStream(neverWritten));
            List<ExampleResult> results;
            try (ScenarioRun run = new ScenarioRun(FIXTURES.resolve("stdin.md"), Duration.ofSeconds(10))) {
                results = run.examples().stream().map(run::run).collect(Collectors.toList());
            }

            assertTrue(results.stream().allMatch(ExampleResult::passed), () -> results.stream()
                    .filter(result -> !result.passed()).map(ExampleResult::report).collect(Collectors.joining("\n")));
            assertEquals(2, results.size());
        } finally {
            System.setIn(in);
        }
    }

        @Test
    void aSnippetPastTheTimeoutFailsAndTheRestOfTheFileIsNotRun() {
        List<ExampleResult> results;
        try (ScenarioRun run = new ScenarioRun(FIXTURES.resolve("timeout.md"), Duration.ofSeconds(1))) {
            results = run.examples().stream().map(run::run).collect(Collectors.toList());
        }

        assertEquals(List.of(Verdict.PASSED, Verdict.TIMED_OUT, Verdict.NOT_RUN),
                results.stream().map(ExampleResult::verdict).collect(Collectors.toList()));
    }
}
