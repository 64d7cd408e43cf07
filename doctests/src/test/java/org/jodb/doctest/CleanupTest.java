package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file leaves nothing behind for the next file, also when it fails half way: no open store, no
 * temporary files, no changed JVM defaults.
 */
class CleanupTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        System.clearProperty("jodb.doctest.test.store");
        System.clearProperty("jodb.doctest.test.made");
    }

    private static String failures(List<ExampleResult> results) {
        return results.stream().filter(result -> !result.passed()).map(ExampleResult::report)
                .collect(Collectors.joining("\n"));
    }

    @Test
    void aFailedFilesOpenDatabaseIsClosedSoTheNextFileCanOpenTheStore() {
        Path store = dir.resolve("store");
        System.setProperty("jodb.doctest.test.store", store.toString());

        List<ExampleResult> first = ScenarioRun.runAll(ScenarioRunTest.FIXTURES.resolve("leaves-open.md"), any -> { });
        List<ExampleResult> second = ScenarioRun.runAll(ScenarioRunTest.FIXTURES.resolve("opens-again.md"), any -> { });

        assertEquals(2, first.stream().filter(result -> !result.passed()).count(), failures(first));
        assertTrue(second.stream().allMatch(ExampleResult::passed), failures(second));
        assertTrue(Files.isDirectory(store), "a store outside the file's own temporary entries is kept");
    }

    @Test
    void theDefaultsAFileChangedAreRestoredForTheNextFile() {
        Locale locale = Locale.getDefault();
        Locale format = Locale.getDefault(Locale.Category.FORMAT);
        TimeZone zone = TimeZone.getDefault();
        InputStream in = System.in;
        System.setProperty("jodb.doctest.test.setting", "original");
        try {
            List<ExampleResult> results = ScenarioRun.runAll(
                    ScenarioRunTest.FIXTURES.resolve("changes-defaults.md"), any -> { });

            assertTrue(results.stream().allMatch(ExampleResult::passed), failures(results));
            assertEquals(locale, Locale.getDefault());
            assertEquals(format, Locale.getDefault(Locale.Category.FORMAT));
            assertEquals(zone, TimeZone.getDefault());
            assertSame(in, System.in);
            assertEquals("original", System.getProperty("jodb.doctest.test.setting"));
        } finally {
            Locale.setDefault(locale);
            Locale.setDefault(Locale.Category.FORMAT, format);
            TimeZone.setDefault(zone);
            System.setIn(in);
            System.clearProperty("jodb.doctest.test.setting");
        }
    }

    @Test
    void theTemporaryDirectoriesAFileMadeAreDeletedEvenWhenItFailed() {
        System.setProperty("jodb.doctest.test.store", dir.resolve("store").toString());

        ScenarioRun.runAll(ScenarioRunTest.FIXTURES.resolve("leaves-open.md"), any -> { });

        String[] made = System.getProperty("jodb.doctest.test.made").split(File.pathSeparator);
        assertEquals(2, made.length);
        for (String path : made) {
            assertTrue(path.startsWith(System.getProperty("java.io.tmpdir")), path);
            assertFalse(Files.exists(Path.of(path)), path + " is left behind");
        }
    }
}
