package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private int main(String... args) {
        return Main.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void passingFileExitsZeroWithOneLine() {
        String file = ScenarioRunTest.FIXTURES.resolve("wildcard.md").toString();

        assertEquals(0, main(file));
        assertEquals("passed " + file + " (5 examples)\nAll passed: 1 file(s), 5 examples\n", printed());
    }

    @Test
    void failingFileExitsOneAndReportsEachFailure() {
        String file = ScenarioRunTest.FIXTURES.resolve("malformed.md").toString();

        assertEquals(1, main(file));
        assertTrue(printed().startsWith("FAILED " + file + " (4 of 7 examples failed)\n"), printed());
        assertTrue(printed().contains(file + ":19: malformed transcript\n"), printed());
        assertTrue(printed().endsWith("FAILED: 1 file(s), 7 examples, 4 failed in 1 file(s)\n"), printed());
    }

    @Test
    void verboseListsEveryExample() {
        String file = ScenarioRunTest.FIXTURES.resolve("wildcard.md").toString();

        assertEquals(0, main("--verbose", file));
        assertTrue(printed().startsWith("  ok   line 4: \"a long string with a tail\"\n"), printed());
    }

    @Test
    void aFileThatIsNotUtf8FailsAloneAndTheNextFileStillRuns(@TempDir Path dir) throws Exception {
        Path latin1 = dir.resolve("a-latin1.md");
        Files.write(latin1, "# Caf\u00e9\n\n```jshell\njshell> \"caf\u00e9\"\n```\n".getBytes(StandardCharsets.ISO_8859_1));
        Path fine = dir.resolve("b-fine.md");
        Files.copy(ScenarioRunTest.FIXTURES.resolve("wildcard.md"), fine);

        assertEquals(1, main(dir.toString()));
        assertTrue(printed().startsWith("FAILED " + latin1 + " (1 of 1 example failed)\n\n"
                + latin1 + ":1: malformed transcript\n    (byte 0xE9 at offset 5)\n"
                + "    the file is not UTF-8 text; save it as UTF-8"), printed());
        assertTrue(printed().contains("passed " + fine + " (5 examples)\n"), printed());
    }

    @Test
    void aByteOrderMarkDoesNotHideTheFirstBlock(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bom.md");
        Files.writeString(file, "\uFEFF```jshell\njshell> 1 + 1\n3\n```\n");

        assertEquals(1, main(file.toString()));
        assertTrue(printed().contains(file + ":2: output differs"), printed());
    }

    @Test
    void aDirectoryWithoutMarkdownIsAUsageError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "not a scenario");

        assertEquals(2, main(dir.toString()));
        assertTrue(printed().startsWith("no .md files under " + dir.toAbsolutePath()), printed());
    }

    @Test
    void aSnippetThatCallsSystemExitFailsTheRunInsteadOfPassingIt() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String file = ScenarioRunTest.FIXTURES.resolve("exits.md").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), file, ScenarioRunTest.FIXTURES.resolve("wildcard.md").toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(1, process.waitFor(), output);
        assertTrue(output.contains("FAILED: the run stopped before it finished, while running " + file
                + ":6: System.exit(0)"), output);
    }

    @Test
    void missingPathAndNoArgumentsAreUsageErrors() {
        assertEquals(2, main("no/such/file.md"));
        assertEquals(2, main());
        assertEquals(2, main("--bogus", "x.md"));
    }
}
