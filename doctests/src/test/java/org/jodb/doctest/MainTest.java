package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
    void missingPathAndNoArgumentsAreUsageErrors() {
        assertEquals(2, main("no/such/file.md"));
        assertEquals(2, main());
        assertEquals(2, main("--bogus", "x.md"));
    }
}
