package org.jodb.cli.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.cli.Jodb;
import org.jodb.cli.UrlStore;
import org.jodb.postgres.CliServer;
import org.jodb.transaction.Transactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages of a storage opened by URL, on the PostgreSQL tests' server: the library store of {@link Library},
 * copied from a directory into a schema of its own (the copy keeps the tids), served by the browser as the
 * {@code jodb browse URL} command serves it.
 */
class BrowseUrlTest {
    @TempDir
    Path dir;
    Library.Made made;
    String url;
    UrlStore store;
    BrowseServer server;

    @BeforeEach
    void start() {
        made = Library.write(dir);
        url = CliServer.url("browse");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(said, true, StandardCharsets.UTF_8);
        assertEquals(Jodb.OK, Jodb.run(both, both, "copy", dir.toString(), url), () -> said.toString(StandardCharsets.UTF_8));
        store = UrlStore.open(url);
        server = BrowseServer.start(0, store::read);
    }

    @AfterEach
    void stop() {
        if (server != null) { // null when the test was skipped or failed before the server started
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @AfterAll
    static void dropSchemas() {
        CliServer.dropSchemas();
    }

    private Http page(String path) {
        return Http.get(server.url() + path.substring(1));
    }

    @Test
    void theRootShowsTheNewestSnapshotAndNamesTheUrlWithoutItsPassword() {
        Http root = page("/");
        assertEquals(200, root.status(), root::toString);
        assertTrue(root.body().contains("org.jodb.PersistentMap"), root::toString);
        assertTrue(root.body().contains("href=\"/object/" + made.bookOid() + "?at=" + Library.tid(made.bobTid())
                + "\">oid " + made.bookOid() + "</a>"), root::toString);
        assertTrue(root.body().contains("Showing the snapshot at tid <span id=\"snapshot-tid\">"
                + Library.tid(made.bobTid()) + "</span>"), root::toString);
        assertTrue(root.body().contains("jdbc:postgresql://"), root::toString);
        String password = passwordOf(url);
        if (!password.isEmpty()) {
            assertFalse(root.body().contains("password=" + password), root::toString);
            assertTrue(root.body().contains("password=***"), root::toString);
        }
    }

    @Test
    void anObjectShowsItsFieldsAndEscapesAStoredScript() {
        Http book = page("/object/" + made.bookOid());
        assertEquals(200, book.status(), book::toString);
        String html = book.body();
        assertTrue(html.contains("org.jodb.cli.browse.Library$Book"), book::toString);
        assertTrue(html.contains("<th class=\"field\">pages</th><td class=\"value\">604</td>"), book::toString);
        assertTrue(html.contains("<a class=\"ref\" href=\"/object/" + made.authorOid() + "?at="), book::toString);
        assertTrue(html.contains("&quot;&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"), book::toString);
        assertFalse(html.contains("<script"), book::toString);
        Http old = page("/object/" + made.bookOid() + "?at=" + Library.tid(made.aliceTid()));
        assertTrue(old.body().contains("<th class=\"field\">pages</th><td class=\"value\">412</td>"), old::toString);
    }

    @Test
    void theHistoryListsBothRevisionsNewestFirst() {
        Http history = page("/history/" + made.bookOid());
        assertEquals(200, history.status(), history::toString);
        String html = history.body();
        int bob = html.indexOf("<td class=\"user\">bob</td>");
        int alice = html.indexOf("<td class=\"user\">alice</td>");
        assertTrue(bob > 0 && alice > bob, history::toString);
        assertTrue(html.contains("<td class=\"value\">412</td>") && html.contains("<td class=\"value\">604</td>"),
                history::toString);
        assertFalse(html.contains("removed by pack"), history::toString);
    }

    @Test
    void theLogAndATransactionShowWhatEachTransactionWrote() {
        Http log = page("/log");
        assertEquals(200, log.status(), log::toString);
        assertTrue(log.body().contains("3 transactions up to this snapshot"), log::toString);
        assertTrue(log.body().indexOf("fix pages") < log.body().indexOf("add book"), log::toString);
        assertTrue(log.body().contains("<a class=\"written\" href=\"/object/" + made.bookOid() + "?at="
                + Library.tid(made.bobTid()) + "\">"), log::toString);
        Http t = page("/transaction/" + Library.tid(made.aliceTid()));
        assertEquals(200, t.status(), t::toString);
        assertTrue(t.body().contains("<td id=\"user\">alice</td>") && t.body().contains("<td id=\"note\">add book</td>"),
                t::toString);
        assertTrue(t.body().contains("href=\"/object/" + made.authorOid() + "?at=" + Library.tid(made.aliceTid())
                + "\">oid " + made.authorOid() + "</a></td><td class=\"class\">org.jodb.cli.browse.Library$Author</td>"),
                t::toString);
    }

    @Test
    void searchFindsByClassNameAndOid() {
        Http byClass = page("/search?q=library%24b");
        assertEquals(200, byClass.status(), byClass::toString);
        assertTrue(byClass.body().contains("1 object found"), byClass::toString);
        assertTrue(byClass.body().contains(">oid " + made.bookOid() + "</a>"), byClass::toString);
        Http byOid = page("/search?q=" + made.authorOid());
        assertTrue(byOid.body().contains(">oid " + made.authorOid() + "</a></td><td class=\"class\">"
                + "org.jodb.cli.browse.Library$Author"), byOid::toString);
    }

    @Test
    void aCommitThroughTheUrlShowsOnTheNextPage() {
        try (Database db = Database.open(url)) {
            Connection conn = db.open();
            Transactions.get().setUser("carol");
            Transactions.get().note("while browsing");
            conn.root().put("visitor", "carol");
            Transactions.commit();
            conn.close();
        }
        Http log = page("/log");
        assertTrue(log.body().contains("4 transactions up to this snapshot")
                && log.body().contains("<td class=\"note\">while browsing</td>"), log::toString);
        Http old = page("/?at=" + Library.tid(made.bobTid()));
        assertFalse(old.body().contains("visitor"), old::toString);
        assertTrue(page("/").body().contains("visitor"), "the newest root shows carol's key");
    }

    @Test
    void afterAPackByAnotherProcessTheKeptRevisionsStillShow() {
        assertEquals(200, page("/").status());
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(said, true, StandardCharsets.UTF_8);
        assertEquals(Jodb.OK, Jodb.run(both, both, "pack", url), () -> said.toString(StandardCharsets.UTF_8));
        Http author = page("/object/" + made.authorOid()); // written by alice, before the pack's time: kept
        assertEquals(200, author.status(), author::toString);
        assertTrue(author.body().contains("&quot;Frank Herbert&quot;"), author::toString);
        Http history = page("/history/" + made.bookOid());
        assertTrue(history.body().contains("<td class=\"value\">604</td>")
                && !history.body().contains("<td class=\"value\">412</td>"), history::toString);
    }

    @Test
    void theCommandServesTheUrlUntilInterruptedAndNamesItWithoutThePassword() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Thread runner = new Thread(() -> status.complete(Jodb.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "browse", url, "--port", "0")));
        runner.start();
        String address = BrowseCommandTest.awaitAddress(out);
        Http book = Http.get(address + "object/" + made.bookOid());
        assertEquals(200, book.status(), book::toString);
        assertTrue(book.body().contains("Library$Book"), book::toString);
        runner.interrupt();
        assertEquals(Jodb.OK, status.get(30, TimeUnit.SECONDS), () -> err.toString(StandardCharsets.UTF_8));
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("jodb browse: serving jdbc:postgresql://"), said);
        String password = passwordOf(url);
        if (!password.isEmpty()) {
            assertFalse(said.contains("password=" + password), said);
        }
    }

    @Test
    void theCommandWithAWrongPasswordFailsWithoutShowingIt() {
        assumeTrue(CliServer.checksPasswords(), "this server lets anyone in");
        String secret = "not-the-password-4711";
        String wrong = url.replaceAll("password=[^&]*", "password=" + secret);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jodb.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "browse", wrong, "--port", "0");
        String said = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(Jodb.FAILED, status, said);
        assertTrue(said.startsWith("jodb browse: ") && said.contains("password=***"), said);
        assertFalse(said.contains(secret), said);
    }

    private static String passwordOf(String url) {
        Matcher m = Pattern.compile("password=([^&]*)").matcher(url);
        return m.find() ? m.group(1) : "";
    }
}
