package org.jodb.doctest;

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
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario under {@code scenarios/}, and this module's README, as JUnit tests: a container per
 * file, a test per example, run in file order in one session per file, and a last test that every
 * name a declaration used was declared somewhere in the file. A failure's message is the runner's
 * report, which starts with {@code file:line}.
 */
class ScenariosTest {

    static final Path SCENARIOS = Path.of("scenarios");
    static final Path README = Path.of("README.md");

    @TestFactory
    Stream<DynamicNode> scenarios() {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(SCENARIOS)) {
            files.addAll(Main.markdownFiles(SCENARIOS));
        }
        if (Files.isRegularFile(README)) {
            files.add(README);
        }
        return files.stream().map(ScenariosTest::container);
    }

    private static DynamicNode container(Path file) {
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
