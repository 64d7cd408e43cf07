package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.transaction.Transactions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** copy, end to end: a new copy, an incremental one, the verification printed, and the refusals. */
class CopyCommandTest {
    @TempDir
    Path tmp;
    Path source;
    Path target;
    Stores.Bank bank;

    @BeforeEach
    void writeStore() {
        source = tmp.resolve("source");
        target = tmp.resolve("target");
        bank = Stores.bank(source);
    }

    /** What `log` prints of a store, which names every transaction with its tid, time, user, note and oids. */
    private static String log(Path store) {
        return Run.of("log", store.toString(), "--limit", "1000").out();
    }

    private void commitMore(String user) {
        try (Database db = Database.open(source)) {
            Connection conn = db.open();
            PersistentMap<String, Object> root = conn.root();
            Transactions.get().setUser(user);
            root.put("later", user);
            Transactions.commit();
            conn.close();
        }
    }

    @Test
    void aCopyHoldsEveryTransactionWithItsMetadataAndIsVerified() {
        Run run = Run.of("copy", source.toString(), target.toString());
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertTrue(run.out().startsWith("copied 3 transactions ("), run::toString);
        assertTrue(run.out().contains(" records, ") && run.out().contains(" bytes) from " + source + " into " + target
                + "\n"), run::toString);
        assertTrue(run.out().contains("verified: 3 transactions ("), run::toString);
        assertTrue(run.out().contains("of " + target + " are the source's, with their tids, times, users and notes"),
                run::toString);
        assertEquals("", run.err(), run::toString);
        assertEquals(log(source), log(target));
        Run dump = Run.of("dump", target.toString(), Long.toString(bank.accountOid()));
        assertTrue(dump.out().contains("balance = 150L"), dump::toString);
        assertEquals(Jodb.OK, Run.of("verify", target.toString()).status());
    }

    @Test
    void copyingAgainBringsAnEarlierCopyUpToDate() {
        assertEquals(Jodb.OK, Run.of("copy", source.toString(), target.toString()).status());
        commitMore("carol");
        Run again = Run.of("copy", source.toString(), target.toString());
        assertEquals(Jodb.OK, again.status(), again::toString);
        assertTrue(again.out().startsWith("copied 1 transaction ("), again::toString);
        assertTrue(again.out().contains(", after its tid 0x"), again::toString);
        assertTrue(again.out().contains("verified: 4 transactions ("), again::toString);
        assertEquals(log(source), log(target));

        Run nothing = Run.of("copy", source.toString(), target.toString());
        assertEquals(Jodb.OK, nothing.status(), nothing::toString);
        assertTrue(nothing.out().startsWith("copied 0 transactions ("), nothing::toString);
        assertTrue(nothing.out().contains("verified: 4 transactions ("), nothing::toString);
    }

    @Test
    void anEmptyDirectoryIsANewCopy() throws IOException {
        Files.createDirectory(target);
        Run run = Run.of("copy", source.toString(), target.toString());
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertEquals(log(source), log(target));
    }

    @Test
    void aTargetThatIsAnotherStoreIsRefusedAndLeftAsItWas() {
        Stores.bank(target);
        String before = log(target);
        Run run = Run.of("copy", source.toString(), target.toString());
        assertEquals(Jodb.FAILED, run.status(), run::toString);
        assertTrue(run.err().contains("not an earlier copy of the source"), run::toString);
        assertTrue(run.err().contains("Copy into a new or empty directory instead, or delete " + target + " first."),
                run::toString);
        assertEquals(before, log(target));
    }

    @Test
    void aTargetHoldingOtherFilesIsRefused() throws IOException {
        Files.createDirectory(target);
        Files.writeString(target.resolve("notes.txt"), "mine");
        Run run = Run.of("copy", source.toString(), target.toString());
        assertEquals(Jodb.FAILED, run.status(), run::toString);
        assertTrue(run.err().contains(target + " is neither empty nor a jodb store: it holds notes.txt. Name a new or"
                + " empty directory"), run::toString);
        assertFalse(Files.exists(target.resolve("log-00000001.seg")));
    }

    @Test
    void theSourceItselfOrAFileAsTargetIsRefused() throws IOException {
        Run same = Run.of("copy", source.toString(), source.toString());
        assertEquals(Jodb.FAILED, same.status(), same::toString);
        assertTrue(same.err().contains(source + " is the source store itself"), same::toString);
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Run onFile = Run.of("copy", source.toString(), file.toString());
        assertEquals(Jodb.FAILED, onFile.status(), onFile::toString);
        assertTrue(onFile.err().contains(file + " is a file. Name a new or empty directory"), onFile::toString);
        Run noSource = Run.of("copy", tmp.resolve("nowhere").toString(), target.toString());
        assertEquals(Jodb.FAILED, noSource.status(), noSource::toString);
        assertTrue(noSource.err().contains("no such directory"), noSource::toString);
    }

    @Test
    void copyRefusesASourceOrTargetThatIsOpen() {
        try (Database db = Database.open(source)) {
            Run run = Run.of("copy", source.toString(), target.toString());
            assertEquals(Jodb.FAILED, run.status(), run::toString);
            assertTrue(run.err().contains("another process has the store " + source + " open"), run::toString);
            assertTrue(run.err().contains("copy reads the source through the file store, which one process owns at a"
                    + " time"), run::toString);
        }
        assertFalse(Files.exists(target));
        assertEquals(Jodb.OK, Run.of("copy", source.toString(), target.toString()).status());
        commitMore("carol");
        try (Database db = Database.open(target)) {
            Run run = Run.of("copy", source.toString(), target.toString());
            assertEquals(Jodb.FAILED, run.status(), run::toString);
            assertTrue(run.err().contains("another process has the store " + target + " open"), run::toString);
            assertTrue(run.err().contains("copy changes the store and needs it to itself"), run::toString);
        }
    }
}
