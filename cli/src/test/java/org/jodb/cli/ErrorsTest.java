package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error says the problem and the remedy, and exits with status 2. */
class ErrorsTest {
    @TempDir
    Path dir;

    private static Run failing(String... args) {
        Run run = Run.of(args);
        assertEquals(Jodb.FAILED, run.status(), run::toString);
        assertEquals("", run.out(), run::toString);
        return run;
    }

    @Test
    void aMissingDirectory() {
        Path missing = dir.resolve("nowhere");
        for (String command : new String[] {"verify", "stats", "log", "pack"}) {
            Run run = failing(command, missing.toString());
            assertTrue(run.err().contains("no such directory: " + missing + ". Name the directory of a jodb store"),
                    run::toString);
        }
    }

    @Test
    void aMissingStoreForTheCommandsThatWrite() {
        Path missing = dir.resolve("nowhere");
        Run undo = failing("undo", missing.toString(), "0x1");
        assertTrue(undo.err().contains("no such directory: " + missing + ". Name the directory of a jodb store"),
                undo::toString);
        Run copy = failing("copy", missing.toString(), dir.resolve("copy").toString());
        assertTrue(copy.err().contains("no such directory: " + missing), copy::toString);
        assertTrue(!Files.exists(dir.resolve("copy")), "no target made for a source that is not there");
    }

    @Test
    void aFileInsteadOfADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "hello");
        Run run = failing("stats", file.toString());
        assertTrue(run.err().contains(file + " is a file, not a store directory"), run::toString);
    }

    @Test
    void aDirectoryThatIsNoStore() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        Run run = failing("verify", dir.toString());
        assertTrue(run.err().contains(dir + " is not a jodb store: it holds no log segment"), run::toString);
        assertTrue(Files.exists(dir.resolve("notes.txt")) && !Files.exists(dir.resolve("log-00000001.seg")));
    }

    @Test
    void anUnknownOid() {
        Stores.bank(dir);
        Run dump = failing("dump", dir.toString(), "999");
        assertTrue(dump.err().contains("oid 999 is not in the store " + dir), dump::toString);
        assertTrue(dump.err().contains("Find oids with `jodb log"), dump::toString);
        Run history = failing("history", dir.toString(), "999");
        assertTrue(history.err().contains("oid 999 is not in the store"), history::toString);
    }

    @Test
    void anOidThatIsNoNumber() {
        Stores.bank(dir);
        Run run = failing("dump", dir.toString(), "alice");
        assertTrue(run.err().contains("bad oid \"alice\": give a number"), run::toString);
    }

    @Test
    void aTidBeforeTheObjectExisted() {
        Stores.Bank bank = Stores.bank(dir);
        Run run = failing("dump", dir.toString(), Long.toString(bank.accountOid()), "--at", "1");
        assertTrue(run.err().contains("did not exist yet at tid 0x0000000000000001"), run::toString);
    }

    @Test
    void aBadTime() {
        Stores.bank(dir);
        Run log = failing("log", dir.toString(), "--since", "yesterday");
        assertTrue(log.err().contains("bad time for --since: \"yesterday\". Give an instant (2026-12-07T08:30:00Z)"),
                log::toString);
        Run pack = failing("pack", dir.toString(), "--before", "12:00");
        assertTrue(pack.err().contains("bad time for --before: \"12:00\""), pack::toString);
    }

    @Test
    void anUnknownCommandOrOption() {
        Run run = failing("fsck", dir.toString());
        assertTrue(run.err().contains("Unmatched arguments") || run.err().contains("Unknown"), run::toString);
        Run option = failing("stats", "--yaml", dir.toString());
        assertTrue(option.err().contains("Unknown option: '--yaml'"), option::toString);
    }
}
