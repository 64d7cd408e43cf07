package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * Every scenario under {@code scenarios/}, this module's README and the project's, as JUnit tests: a container per
 * file, a test per example, run in file order in one session per file, and a last test that every
 * name a declaration used was declared somewhere in the file. A failure's message is the runner's
 * report, which starts with {@code file:line}.
 */
class ScenariosTest {

    static final Path SCENARIOS = Path.of("scenarios");
    static final Path README = Path.of("README.md");
    /** The project's README: its {@code jshell} blocks, if any, run too, so it cannot drift. */
    static final Path PROJECT_README = Path.of("..", "README.md");

    @TestFactory
    Stream<DynamicNode> scenarios() {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(SCENARIOS)) {
            files.addAll(Main.markdownFiles(SCENARIOS));
        }
        for (Path readme : List.of(README, PROJECT_README)) {
            if (Files.isRegularFile(readme)) {
                files.add(readme);
            }
        }
        return files.stream().map(ScenariosTest::container);
    }

    @Test
    void aFailingExampleFailsItsTestWithTheReportNamingFileAndLine() throws Throwable {
        DynamicContainer container = (DynamicContainer) container(ScenarioRunTest.FIXTURES.resolve("failures.md"));
        List<DynamicNode> tests;
        try (Stream<? extends DynamicNode> children = container.getChildren()) {
            tests = new ArrayList<>(children.collect(Collectors.toList()));
        }
        DynamicTest first = (DynamicTest) tests.get(0);
        DynamicTest last = (DynamicTest) tests.get(tests.size() - 1);

        assertEquals("line 4: 1 + 1", first.getDisplayName());
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, first.getExecutable()::execute);
        assertTrue(failure.getMessage().startsWith(
                ScenarioRunTest.FIXTURES.resolve("failures.md") + ":4: output differs\n"), failure.getMessage());
        for (DynamicNode test : tests.subList(1, tests.size() - 1)) {
            try {
                ((DynamicTest) test).getExecutable().execute();
            } catch (AssertionFailedError expected) {
                // the fixture's other failures; the point here is the last test
            }
        }
        AssertionFailedError dangling = assertThrows(AssertionFailedError.class, last.getExecutable()::execute);
        assertTrue(dangling.getMessage().startsWith(
                ScenarioRunTest.FIXTURES.resolve("failures.md") + ":23: compile error\n"), dangling.getMessage());
    }

    static DynamicNode container(Path file) {
        ScenarioRun run = new ScenarioRun(file);
        List<Example> examples = run.examples();
        List<DynamicTest> tests = new ArrayList<>();
        for (Example example : examples) {
            tests.add(DynamicTest.dynamicTest("line " + example.line() + ": " + example.title(),
                    URI.create(file.toAbsolutePath().toUri() + "?line=" + example.line()), () -> {
                        ExampleResult result = run.run(example);
                        if (!result.passed()) {
                            fail(result.report());
                        }
                    }));
        }
        tests.add(DynamicTest.dynamicTest("end of file: every name used is declared", file.toAbsolutePath().toUri(),
                () -> {
                    try {
                        List<ExampleResult> dangling = run.finish();
                        if (!dangling.isEmpty()) {
                            fail(dangling.stream().map(ExampleResult::report).collect(Collectors.joining("\n")));
                        }
                    } finally {
                        run.close();
                    }
                }));
        return DynamicContainer.dynamicContainer(file.toString(), file.toAbsolutePath().toUri(),
                tests.stream().onClose(run::close));
    }
}
