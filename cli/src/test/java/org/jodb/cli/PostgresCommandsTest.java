package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jodb.postgres.CliServer;
import org.jodb.postgres.PostgresStorage;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on a {@code jdbc:postgresql:} URL, end to end through {@link Jodb#run} on the PostgreSQL tests'
 * server: each test copies the small bank of {@link Stores} from a directory into a schema of its own.
 */
class PostgresCommandsTest {
    private static final Pattern TID = Pattern.compile("tid (0x[0-9a-f]{16})  \\S+  user \"([^\"]*)\"");

    @TempDir
    Path dir;
    Stores.Bank bank;
    String url;

    @BeforeEach
    void copyTheBankIntoASchema() {
        url = CliServer.url("cli");
        bank = Stores.bank(dir);
        Run copy = Run.of("copy", dir.toString(), url);
        assertEquals(Jodb.OK, copy.status(), copy::toString);
    }

    @AfterAll
    static void dropSchemas() {
        CliServer.dropSchemas();
    }

    @Test
    void aDirectoryCopiedToAUrlAndBackIsTheSameStoreAndVerifies() {
        Path back = dir.resolveSibling(dir.getFileName() + "-back");
        Run copy = Run.of("copy", url, back.toString());
        assertEquals(Jodb.OK, copy.status(), copy::toString);
        assertTrue(copy.out().startsWith("copied 3 transactions"), copy::toString);
        assertTrue(copy.out().contains("verified: 3 transactions"), copy::toString);

        Run onUrl = Run.of("verify", url);
        assertEquals(Jodb.OK, onUrl.status(), onUrl::toString);
        assertTrue(onUrl.out().contains("do not apply"), onUrl::toString);
        assertTrue(onUrl.out().contains(": 3 transactions, ") && onUrl.out().endsWith("no problems\n"), onUrl::toString);
        Run onCopy = Run.of("verify", back.toString());
        assertEquals(Jodb.OK, onCopy.status(), onCopy::toString);

        assertEquals(byOid(Run.of("log", dir.toString()).out()), byOid(Run.of("log", back.toString()).out()));
        String oid = Long.toString(bank.accountOid());
        assertEquals(Run.of("dump", dir.toString(), oid).out(), Run.of("dump", back.toString(), oid).out());
    }

    @Test
    void aUrlCopiesIntoAnotherSchema() {
        String other = CliServer.url("cli_other");
        Run copy = Run.of("copy", url, other);
        assertEquals(Jodb.OK, copy.status(), copy::toString);
        assertEquals(byOid(Run.of("log", url).out()), byOid(Run.of("log", other).out()));
        Run again = Run.of("copy", url, url);
        assertEquals(Jodb.FAILED, again.status(), again::toString);
        assertTrue(again.err().contains("is the source itself"), again::toString);
    }

    @Test
    void logHistoryAndDumpOnAUrlShowWhatTheDirectoryShows() {
        Run log = Run.of("log", url);
        assertEquals(Jodb.OK, log.status(), log::toString);
        assertEquals(byOid(Run.of("log", dir.toString()).out()), byOid(log.out()));
        assertTrue(log.out().contains("user \"bob\"  note \"deposit\""), log::toString);
        assertEquals(byOid(Run.of("log", dir.toString(), "--user", "alice").out()),
                byOid(Run.of("log", url, "--user", "alice").out()));

        String oid = Long.toString(bank.accountOid());
        Run history = Run.of("history", url, oid);
        assertEquals(Jodb.OK, history.status(), history::toString);
        assertEquals(Run.of("history", dir.toString(), oid).out(), history.out());
        assertTrue(history.out().startsWith("oid " + oid + ": 2 revisions"), history::toString);

        Run dump = Run.of("dump", url, oid);
        assertEquals(Jodb.OK, dump.status(), dump::toString);
        assertEquals(Run.of("dump", dir.toString(), oid).out(), dump.out());
        assertTrue(dump.out().contains("balance = 150L"), dump::toString);
        String open = tidOf("alice");
        Run before = Run.of("dump", url, oid, "--at", open);
        assertTrue(before.out().contains("balance = 100L"), before::toString);

        Run unknown = Run.of("history", url, "987654");
        assertEquals(Jodb.FAILED, unknown.status(), unknown::toString);
        assertTrue(unknown.err().contains("no object has oid 987654"), unknown::toString);
    }

    @Test
    void undoOnAUrlWritesTheEarlierStateThenPackAndStatsSeeIt() {
        String deposit = tidOf("bob");
        Run undo = Run.of("undo", url, deposit, "--user", "ops");
        assertEquals(Jodb.OK, undo.status(), undo::toString);
        assertTrue(undo.out().startsWith("undid transaction " + deposit + " in transaction 0x"), undo::toString);
        Run dump = Run.of("dump", url, Long.toString(bank.accountOid()));
        assertTrue(dump.out().contains("balance = 100L"), dump::toString);
        Run newest = Run.of("log", url, "--limit", "1");
        assertTrue(newest.out().contains("user \"ops\"  note \"undo of " + deposit + "\""), newest::toString);

        Run pack = Run.of("pack", url);
        assertEquals(Jodb.OK, pack.status(), pack::toString);
        assertTrue(pack.out().startsWith("packed "), pack::toString);
        assertEquals(Jodb.OK, Run.of("verify", url).status());

        Run stats = Run.of("stats", url);
        assertEquals(Jodb.OK, stats.status(), stats::toString);
        assertTrue(stats.out().contains(Stores.Account.class.getName()), stats::toString);
        assertTrue(stats.out().contains("shown for store directories only"), stats::toString);
        Run json = Run.of("stats", url, "--json");
        assertTrue(json.out().startsWith("{\"store\":") && !json.out().contains("diskBytes"), json::toString);
        assertFalse(json.out().contains(passwordOf(url)), "the password is shown");
    }

    @Test
    void verifyOnAUrlNamesADanglingReference() {
        long writer;
        try (PostgresStorage storage = PostgresStorage.open(url)) {
            writer = storage.newOid();
            StorageTransaction t = storage.tpcBegin(new TransactionMetadata("mallory", "dangling"), ConflictResolver.NONE);
            // an object record (kind 1) listing one reference, oid 100, which no transaction wrote; class id 0
            t.store(writer, Storage.NO_TID, new byte[] {1, 1, 100, 0});
            t.vote();
            t.finish();
        }
        Run run = Run.of("verify", url);
        assertEquals(Jodb.DAMAGED, run.status(), run::toString);
        assertTrue(run.out().contains("PROBLEM oid " + writer + ", tid 0x"), run::toString);
        assertTrue(run.out().contains("refers to oid 100, which no transaction wrote"), run::toString);
        assertTrue(run.out().endsWith(": 1 problem\n"), run::toString);
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() {
        String secret = "not-the-password-4711";
        String wrong = url.replaceAll("password=[^&]*", "password=" + secret);
        Run run = Run.of("log", wrong);
        if (CliServer.checksPasswords()) {
            assertEquals(Jodb.FAILED, run.status(), run::toString);
            assertTrue(run.err().startsWith("jodb log: ") && run.err().contains("jdbc:postgresql://")
                    && run.err().contains("password=***"), run::toString);
        }
        assertFalse(run.out().contains(secret) || run.err().contains(secret), run::toString);
        assertFalse(run.err().contains(passwordOf(url)), run::toString);
    }

    /**
     * A log's text with each transaction's oids in ascending order: PostgreSQL keeps no record order within a
     * transaction and lists them by oid, the file store in the order they were written.
     */
    private static String byOid(String log) {
        StringBuilder sb = new StringBuilder();
        for (String line : log.split("\n")) {
            Matcher m = Pattern.compile("(    wrote \\d+ objects?: )(.*)").matcher(line);
            if (m.matches()) {
                line = m.group(1) + java.util.Arrays.stream(m.group(2).split(", ")).mapToLong(Long::parseLong).sorted()
                        .mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(", "));
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    @Test
    void aUrlNoStorageOpensIsRefusedNamingTheStoragesThatDo() {
        Run run = Run.of("verify", "jdbc:nosuchdb://host/db?password=hush-4711");
        assertEquals(Jodb.FAILED, run.status(), run::toString);
        assertTrue(run.err().startsWith("jodb verify: no storage of this jodb opens the URL jdbc:nosuchdb://host/db"
                + "?password=*** (it opens: "), run::toString);
        assertTrue(run.err().contains("PostgreSQL"), run::toString);
        assertFalse(run.err().contains("hush-4711"), run::toString);
    }

    private static String passwordOf(String url) {
        Matcher m = Pattern.compile("password=([^&]*)").matcher(url);
        return m.find() ? m.group(1) : "\u0000no password in the URL";
    }

    /** The tid of the newest transaction of {@code user} on the URL. */
    private String tidOf(String user) {
        Matcher m = TID.matcher(Run.of("log", url, "--user", user).out());
        assertTrue(m.find(), "no transaction of " + user);
        return m.group(1);
    }
}
