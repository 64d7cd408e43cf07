package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.transaction.Transactions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stats, log, history, dump and pack, end to end on a store the test writes. */
class CommandsTest {
    @TempDir
    Path dir;
    Stores.Bank bank;

    @BeforeEach
    void writeStore() {
        bank = Stores.bank(dir);
    }

    @Test
    void statsCountsObjectsByClass() {
        Run run = Run.of("stats", dir.toString());
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertTrue(run.out().contains("transactions: 3 ("), run::toString);
        assertTrue(run.out().matches("(?s).*org\\.jodb\\.cli\\.Stores\\$Account +1 +2 .*"), run::toString);
        assertTrue(run.out().matches("(?s).*org\\.jodb\\.cli\\.Stores\\$Person +1 +1 .*"), run::toString);
        assertTrue(run.out().contains("oid " + bank.accountOid()), run::toString);
        assertEquals("", run.err());
    }

    @Test
    void statsAsJson() {
        Run run = Run.of("stats", "--json", dir.toString());
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertTrue(run.out().startsWith("{\"store\":") && run.out().trim().endsWith("]}"), run::toString);
        assertTrue(run.out().contains("{\"name\":\"org.jodb.cli.Stores$Account\",\"objects\":1,\"revisions\":2,"),
                run::toString);
        assertTrue(run.out().contains("\"transactions\":3,"), run::toString);
    }

    @Test
    void logListsTransactionsNewestFirstWithTheirOids() {
        Run run = Run.of("log", dir.toString());
        assertEquals(Jodb.OK, run.status(), run::toString);
        int bob = run.out().indexOf("user \"bob\"  note \"deposit\"");
        int alice = run.out().indexOf("user \"alice\"  note \"open\"");
        assertTrue(bob >= 0 && alice > bob, run::toString);
        assertTrue(run.out().contains("wrote 1 object: " + bank.accountOid() + "\n"), run::toString);
    }

    @Test
    void logFiltersByUserSinceAndLimit() {
        Run alice = Run.of("log", dir.toString(), "--user", "alice");
        assertTrue(alice.out().contains("\"alice\"") && !alice.out().contains("\"bob\""), alice::toString);
        Run one = Run.of("log", dir.toString(), "--limit", "1");
        assertEquals(2, one.out().split("\n").length, one::toString);
        Run future = Run.of("log", dir.toString(), "--since", "2999-01-01");
        assertEquals("no transaction matches\n", future.out(), future::toString);
        Run recent = Run.of("log", dir.toString(), "--since", "1h");
        assertTrue(recent.out().contains("\"bob\""), recent::toString);
    }

    @Test
    void historyListsAnObjectsRevisions() {
        Run run = Run.of("history", dir.toString(), Long.toString(bank.accountOid()));
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertTrue(run.out().startsWith("oid " + bank.accountOid() + ": 2 revisions\n"), run::toString);
        assertTrue(run.out().indexOf("\"bob\"") < run.out().indexOf("\"alice\""), run::toString);
    }

    @Test
    void dumpShowsFieldsValuesAndReferences() {
        Run run = Run.of("dump", dir.toString(), Long.toString(bank.accountOid()));
        assertEquals(Jodb.OK, run.status(), run::toString);
        String out = run.out();
        assertTrue(out.contains("org.jodb.cli.Stores$Account\n  owner = \"alice\"\n  balance = 150L\n"), run::toString);
        assertTrue(out.contains("  tier = org.jodb.cli.Stores$Tier.GOLD\n"), run::toString);
        assertTrue(out.contains("  limit = org.jodb.cli.Stores$Money\n    currency = \"EUR\"\n    cents = 50000L\n"),
                run::toString);
        assertTrue(out.contains("  log = java.util.ArrayList (2 elements)\n    - \"+100\"\n    - \"+50\"\n"), run::toString);
        assertTrue(out.contains("  holder = -> oid " + bank.personOid() + " (org.jodb.cli.Stores$Person)\n"), run::toString);
    }

    @Test
    void dumpAtAnEarlierTidShowsThatRevision() {
        String log = Run.of("log", dir.toString(), "--user", "alice").out();
        String aliceTid = log.substring(log.indexOf("tid ") + 4, log.indexOf("tid ") + 22);
        Run run = Run.of("dump", dir.toString(), Long.toString(bank.accountOid()), "--at", aliceTid);
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertTrue(run.out().contains("balance = 100L") && run.out().contains("tier = org.jodb.cli.Stores$Tier.BASIC"),
                run::toString);
    }

    @Test
    void packRemovesOldRevisionsAndKeepsTheStoreSound() {
        try (Database db = Database.open(dir)) {
            Connection conn = db.open();
            PersistentMap<String, Object> root = conn.root();
            root.put("scratch", new PersistentMap<String, Object>());
            Transactions.commit();
            root.remove("scratch");
            Transactions.commit();
            conn.close();
        }
        long recordsBefore = LogScanTestAccess.records(dir);
        Run run = Run.of("pack", dir.toString());
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertTrue(run.out().startsWith("packed " + dir + " at tid 0x"), run::toString);
        assertTrue(LogScanTestAccess.records(dir) < recordsBefore, run::toString);
        Run verify = Run.of("verify", dir.toString());
        assertEquals(Jodb.OK, verify.status(), verify::toString);
        Run dump = Run.of("dump", dir.toString(), Long.toString(bank.accountOid()));
        assertTrue(dump.out().contains("balance = 150L"), dump::toString);
    }

    @Test
    void packBeforeATimeWithNoTransactionPacksNothing() {
        Run run = Run.of("pack", dir.toString(), "--before", "2000-01-01");
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertTrue(run.out().startsWith("nothing to pack"), run::toString);
    }

    @Test
    void packRefusesAStoreThatIsOpen() {
        try (Database db = Database.open(dir)) {
            Run run = Run.of("pack", dir.toString());
            assertEquals(Jodb.FAILED, run.status(), run::toString);
            assertTrue(run.err().contains("another process has the store " + dir + " open"), run::toString);
            assertTrue(run.err().contains("pack changes the store"), run::toString);
        }
    }

    @Test
    void readingCommandsReadAStoreThatIsOpenAndSaySo() {
        try (Database db = Database.open(dir)) {
            Run run = Run.of("log", dir.toString(), "--limit", "1");
            assertEquals(Jodb.OK, run.status(), run::toString);
            assertTrue(run.err().startsWith("note: another process has " + dir + " open"), run::toString);
            assertTrue(run.out().contains("\"bob\""), run::toString);
        }
    }
}
