package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jodb.spi.StorageException;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The savepoint spill file cannot be created (java.io.tmpdir missing, unwritable or out of inodes). The
 * object whose record could not be spilled used to leave the connection's queue of touched objects before
 * its record was written: the abort that followed left its change in memory, and, still marked touched, it
 * was never tracked again, so its next change was silently lost at commit. Runs in a child JVM, whose
 * java.io.tmpdir can be set (the JDK reads it once).
 */
class SpillFailureTest {

    @TempDir
    Path tmp;

    /** The child: prints what it finds, one line each, for the parent to check. */
    public static void main(String[] args) {
        try (Database db = Database.inMemory(new Database.Options().savepointSpillThreshold(1_000))) {
            TransactionManager tm = new TransactionManager();
            Connection c = db.open(tm);
            tm.begin();
            DeepValueTest.Holder h = c.create(DeepValueTest.Holder.class);
            c.root().put("h", h);
            h.set("A");
            tm.commit();

            tm.begin();
            h.set("B".repeat(2_000)); // beyond the threshold: the record goes to the spill file
            try {
                tm.savepoint();
                System.out.println("savepoint: taken");
            } catch (StorageException e) {
                System.out.println("savepoint: " + e.getMessage());
            }
            tm.abort();
            tm.begin();
            System.out.println("after abort: " + h.get());
            h.set("C");
            tm.commit();
            TransactionManager reader = new TransactionManager();
            reader.begin();
            System.out.println("stored: " + ((DeepValueTest.Holder) db.open(reader).root().get("h")).get());
            reader.abort();
        }
    }

    @Test
    void aSavepointWhoseSpillFileCannotBeCreatedFailsAndTheAbortRestoresTheObject()
            throws IOException, InterruptedException {
        Path missing = tmp.resolve("missing");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + missing);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SpillFailureTest.class.getName());
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends");
        assertEquals(0, child.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        assertTrue(lines.get(0).startsWith("savepoint: cannot write the savepoint spill file in " + missing)
                && lines.get(0).contains("java.io.tmpdir"), lines.get(0));
        assertEquals("after abort: A", lines.get(1), "the abort restored the committed state");
        assertEquals("stored: C", lines.get(2), "the change after the abort was committed");
    }
}
