package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.jodb.doctest.ExampleResult.Verdict;
import org.jodb.spi.StorageProvider;
import org.junit.jupiter.api.Test;

/**
 * The runner's {@code --store} option and the {@value ScenarioParser#FILE_STORE_ONLY} tag, without a server:
 * bad URLs are usage errors, and tagged blocks are skipped exactly when the scenarios run on PostgreSQL.
 * (ScenariosOnPostgresTest runs the scenarios on a real server.)
 */
class StoreOptionTest {

    private static final Path TAGGED = ScenarioRunTest.FIXTURES.resolve("file-store-only.md");

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private int main(String... args) {
        return Main.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void storeWithoutAUrlIsAUsageError() {
        assertEquals(2, main(TAGGED.toString(), "--store"));
        assertTrue(printed().startsWith("--store needs a URL\nusage: "), printed());
    }

    @Test
    void storeTakesOnlyPostgresUrls() {
        assertEquals(2, main("--store", "file:/tmp/store", TAGGED.toString()));
        assertTrue(printed().startsWith("--store takes a PostgreSQL URL, jdbc:postgresql://"), printed());
        assertTrue(printed().contains("not file:/tmp/store"), printed());
    }

    @Test
    void aSchemaInTheUrlIsRefusedSayingWhy() {
        assertEquals(2, main("--store=jdbc:postgresql://127.0.0.1:1/db?user=u&jodbSchema=mine", TAGGED.toString()));
        assertTrue(printed().contains("leave out jodbSchema; the runner gives each directory"), printed());
    }

    @Test
    void anUnreachableServerIsAUsageErrorBeforeAnyScenarioRunsAndHidesThePassword() {
        // port 1 on the loopback: nothing listens there, so the connection is refused at once
        assertEquals(2, main("--store", "jdbc:postgresql://127.0.0.1:1/db?user=u&password=s3cret", TAGGED.toString()));
        assertTrue(printed().startsWith("--store jdbc:postgresql://127.0.0.1:1/db?user=u&password=***: cannot connect: "),
                printed());
        assertFalse(printed().contains("s3cret"), printed());
        assertFalse(printed().contains("passed"), printed());
        assertEquals(null, System.getProperty(StorageProvider.PATH_PROVIDER_PROPERTY));
    }

    @Test
    void onTheFileStoreATaggedBlockRuns() {
        List<ExampleResult> results = ScenarioRun.runAll(TAGGED, result -> { });
        assertEquals(List.of(Verdict.PASSED, Verdict.PASSED, Verdict.PASSED, Verdict.PASSED, Verdict.PASSED),
                verdicts(results));
    }

    @Test
    void onPostgresATaggedBlockIsSkippedAndTheRestRuns() {
        // no directory is opened, so no connection is made: any URL does
        PostgresDirectories.activate("jdbc:postgresql://127.0.0.1:1/db");
        try {
            List<ExampleResult> results = ScenarioRun.runAll(TAGGED, result -> { });
            assertEquals(List.of(Verdict.PASSED, Verdict.PASSED, Verdict.SKIPPED, Verdict.SKIPPED, Verdict.PASSED),
                    verdicts(results));
            assertTrue(results.stream().noneMatch(ExampleResult::failed));
        } finally {
            assertEquals(List.of(), PostgresDirectories.deactivate());
        }
    }

    @Test
    void onlyTheExactTagMarksABlock() {
        List<Example> examples = ScenarioParser.parse(Path.of("typo.md"),
                "```jshell file-store\njshell> 1\n1\n```\n\n```jshell  title  file-store-only\njshell> 2\n2\n```\n");
        assertEquals(List.of(false, true), examples.stream().map(Example::fileStoreOnly).collect(Collectors.toList()));
        assertTrue(examples.stream().noneMatch(Example::isMalformed));
    }

    @Test
    void theTagMarksEveryExampleOfItsBlockAndNoOther() {
        List<Example> examples = ScenarioParser.parse(TAGGED);
        assertEquals(List.of(false, false, true, true, false),
                examples.stream().map(Example::fileStoreOnly).collect(Collectors.toList()));
    }

    private static List<Verdict> verdicts(List<ExampleResult> results) {
        return results.stream().map(ExampleResult::verdict).collect(Collectors.toList());
    }
}
