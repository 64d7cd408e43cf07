package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.transaction.Transactions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** undo, end to end: what it writes, what it records, and what it refuses. */
class UndoCommandTest {
    private static final Pattern TID = Pattern.compile("tid (0x[0-9a-f]{16})  \\S+  user \"([^\"]*)\"  note \"([^\"]*)\"");

    @TempDir
    Path dir;
    Stores.Bank bank;

    @BeforeEach
    void writeStore() {
        bank = Stores.bank(dir);
    }

    /** The tid of the newest transaction whose user is {@code user}. */
    private String tidOf(String user) {
        Matcher m = TID.matcher(Run.of("log", dir.toString(), "--user", user).out());
        assertTrue(m.find(), "no transaction of " + user);
        return m.group(1);
    }

    private String newestLogEntry() {
        return Run.of("log", dir.toString(), "--limit", "1").out();
    }

    private String balance() {
        String dump = Run.of("dump", dir.toString(), Long.toString(bank.accountOid())).out();
        Matcher m = Pattern.compile("balance = (\\d+)L").matcher(dump);
        assertTrue(m.find(), dump);
        return m.group(1);
    }

    @Test
    void undoWritesTheEarlierStatesInATransactionOfItsOwn() {
        String deposit = tidOf("bob");
        Run run = Run.of("undo", dir.toString(), deposit);
        assertEquals(Jodb.OK, run.status(), run::toString);
        Matcher m = Pattern.compile("undid transaction " + deposit + " in transaction (0x[0-9a-f]{16}): wrote 1 object: "
                + bank.accountOid() + "\n").matcher(run.out());
        assertTrue(m.matches(), run::toString);
        assertEquals("", run.err());
        assertEquals("100", balance());
        String newest = newestLogEntry();
        assertTrue(newest.startsWith("tid " + m.group(1)), newest);
        assertTrue(newest.contains("user \"\"  note \"undo of " + deposit + "\""), newest);
        Run dump = Run.of("dump", dir.toString(), Long.toString(bank.accountOid()));
        assertTrue(dump.out().contains("tier = org.jodb.cli.Stores$Tier.BASIC"), dump::toString);
    }

    @Test
    void theUserAndNoteGivenAreRecordedAndAnUndoCanBeUndone() {
        String deposit = tidOf("bob");
        Run undo = Run.of("undo", dir.toString(), deposit, "--user", "carol", "--note", "bob's deposit bounced");
        assertEquals(Jodb.OK, undo.status(), undo::toString);
        assertTrue(newestLogEntry().contains("user \"carol\"  note \"bob's deposit bounced\""), newestLogEntry());
        assertEquals("100", balance());

        Run redo = Run.of("undo", dir.toString(), tidOf("carol"), "--user", "carol", "--note", "it cleared after all");
        assertEquals(Jodb.OK, redo.status(), redo::toString);
        assertEquals("150", balance());
    }

    @Test
    void aTidInDecimalIsTakenToo() {
        long deposit = Long.parseUnsignedLong(tidOf("bob").substring(2), 16);
        Run run = Run.of("undo", dir.toString(), Long.toString(deposit));
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertEquals("100", balance());
    }

    @Test
    void anUndoBlockedByALaterChangeIsRefusedAndWritesNothing() {
        depositAs("dave", 25);
        String deposit = tidOf("bob");
        String later = tidOf("dave");
        String before = Run.of("log", dir.toString()).out();
        Run run = Run.of("undo", dir.toString(), deposit);
        assertEquals(Jodb.FAILED, run.status(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertTrue(run.err().startsWith("jodb undo: cannot undo transaction " + deposit + " ("), run::toString);
        assertTrue(run.err().contains("oid " + bank.accountOid() + " (Account) changed by transaction " + later),
                run::toString);
        assertTrue(run.err().contains("From the command line: `jodb log " + dir + "` lists the transactions"),
                run::toString);
        assertEquals(before, Run.of("log", dir.toString()).out(), "nothing was written");
        assertEquals("175", balance());

        assertEquals(Jodb.OK, Run.of("undo", dir.toString(), later).status(), "newest first, both can be undone");
        assertEquals(Jodb.OK, Run.of("undo", dir.toString(), deposit).status());
        assertEquals("100", balance());
    }

    private void depositAs(String user, long amount) {
        try (Database db = Database.open(dir)) {
            Connection conn = db.open();
            Transactions.get().setUser(user);
            Stores.Account account = (Stores.Account) conn.root().get("alice");
            account.deposit(amount);
            Transactions.commit();
            conn.close();
        }
    }

    @Test
    void undoingATransactionTwiceIsRefused() {
        String deposit = tidOf("bob");
        assertEquals(Jodb.OK, Run.of("undo", dir.toString(), deposit).status());
        Run again = Run.of("undo", dir.toString(), deposit);
        assertEquals(Jodb.FAILED, again.status(), again::toString);
        assertTrue(again.err().contains("undone already"), again::toString);
        assertEquals("100", balance());
    }

    @Test
    void aTransactionThatOnlyCreatedObjectsLeavesNothingToWrite() {
        String before = Run.of("log", dir.toString()).out();
        Matcher all = TID.matcher(before);
        String oldest = null;
        while (all.find()) {
            oldest = all.group(1); // the store's first transaction, which created the root
        }
        Run run = Run.of("undo", dir.toString(), oldest);
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertEquals("undid transaction " + oldest + ": nothing to write (it only created objects, which an undo"
                + " leaves as they are)\n", run.out(), run::toString);
        assertEquals(before, Run.of("log", dir.toString()).out(), "nothing was written");
    }

    @Test
    void aTidTheStoreDoesNotHoldIsRefused() {
        Run run = Run.of("undo", dir.toString(), "0x0000000000000005");
        assertEquals(Jodb.FAILED, run.status(), run::toString);
        assertTrue(run.err().contains("no transaction 0x0000000000000005 in storage " + dir), run::toString);
        assertTrue(run.err().contains("From the command line: `jodb log " + dir + "` lists the transactions"),
                run::toString);
        Run bad = Run.of("undo", dir.toString(), "yesterday");
        assertEquals(Jodb.FAILED, bad.status(), bad::toString);
        assertTrue(bad.err().contains("bad tid \"yesterday\": give a number"), bad::toString);
    }

    @Test
    void undoRefusesAStoreThatIsOpen() {
        String deposit = tidOf("bob");
        try (Database db = Database.open(dir)) {
            Run run = Run.of("undo", dir.toString(), deposit);
            assertEquals(Jodb.FAILED, run.status(), run::toString);
            assertTrue(run.err().contains("another process has the store " + dir + " open"), run::toString);
            assertTrue(run.err().contains("undo changes the store and needs it to itself"), run::toString);
        }
        assertEquals("150", balance());
    }
}
