package org.jodb.storage.internal.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chronicle's advice to start the JVM with {@code --illegal-access=permit} (an option gone since JDK 17)
 * does not reach users, while its other messages do; and a file store opened with the documented flags
 * prints no warning at all, on JDK 17 as on JDK 25.
 */
class ChronicleNoticesTest {

    /** Opens a file store in {@code args[0]}, commits, closes: the child JVM of the tests below. */
    public static void main(String[] args) {
        try (Database db = Database.open(Path.of(args[0]))) {
            TransactionManager tm = new TransactionManager();
            Connection c = db.open(tm);
            tm.begin();
            c.root().put("k", "v");
            tm.commit();
        }
        System.out.println("committed");
        System.exit(0);
    }

    @Test
    void theObsoleteAdviceIsDroppedAndOtherMessagesOfThatLoggerPass() {
        ChronicleNotices.quiet();
        Logger logger = Logger.getLogger(ChronicleNotices.CLEANER_LOGGER);
        List<String> published = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                published.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        boolean parents = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false); // keep the test's own messages off the console
        logger.addHandler(handler);
        try {
            logger.warning("Make sure you have set the command line option \"--illegal-access=permit"
                    + " --add-exports java.base/jdk.internal.ref=ALL-UNNAMED\" to enable it");
            logger.log(Level.WARNING, "Cleaning is not available");
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(parents);
        }
        assertEquals(List.of("Cleaning is not available"), published);
    }

    @Test
    void aFileStoreOpenedWithTheDocumentedFlagsPrintsNoWarning(@TempDir Path dir)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ChronicleFlags.REQUIRED); // without the optional jdk.internal.ref export
        if (Runtime.version().feature() >= 24) {
            command.addAll(ChronicleFlags.JDK24);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChronicleNoticesTest.class.getName());
        command.add(dir.resolve("store").toString());
        Files.createDirectories(dir.resolve("store"));
        Process child = new ProcessBuilder(command).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends");
        assertEquals(0, child.exitValue(), out + err);
        assertEquals("committed", out.strip(), err);
        assertFalse(err.contains("illegal-access"), err);
        assertFalse(err.contains("WARNING"), err);
    }
}
