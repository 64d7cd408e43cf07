package org.jodb.cli.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.cli.ScannedStoreLog;
import org.jodb.transaction.Transactions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pages' HTML, asked for over HTTP: what each shows, escaping, snapshots, errors, and the store left free. */
class BrowsePagesTest {
    @TempDir
    Path dir;
    Library.Made made;
    BrowseServer server;

    @BeforeEach
    void start() {
        made = Library.write(dir);
        server = BrowseServer.start(dir, 0, ScannedStoreLog::read);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Http page(String path) {
        return Http.get(server.url() + path.substring(1));
    }

    @Test
    void theRootLinksToTheObjectsItHoldsAndTheFooterNamesTheSnapshot() {
        Http root = page("/");
        assertEquals(200, root.status(), root::toString);
        assertTrue(root.body().contains("org.jodb.PersistentMap"), root::toString);
        assertTrue(root.body().contains("href=\"/object/" + made.bookOid() + "?at=" + Library.tid(made.bobTid())
                + "\">oid " + made.bookOid() + "</a>"), root::toString);
        assertTrue(root.body().contains("Showing the snapshot at tid <span id=\"snapshot-tid\">"
                + Library.tid(made.bobTid()) + "</span>"), root::toString);
    }

    @Test
    void anObjectShowsItsClassFieldsAndReferencesAsLinks() {
        Http book = page("/object/" + made.bookOid());
        assertEquals(200, book.status(), book::toString);
        String html = book.body();
        assertTrue(html.contains("org.jodb.cli.browse.Library$Book"), book::toString);
        assertTrue(html.contains("<th class=\"field\">title</th><td class=\"value\"><span class=\"string\">&quot;Dune&quot;"),
                book::toString);
        assertTrue(html.contains("<th class=\"field\">pages</th><td class=\"value\">604</td>"), book::toString);
        assertTrue(html.contains("<a class=\"ref\" href=\"/object/" + made.authorOid() + "?at="), book::toString);
        assertTrue(html.contains("java.util.ArrayList (1 element)<ul class=\"items\"><li><span class=\"string\">"
                + "&quot;classic&quot;</span></li></ul>"), book::toString);
        assertTrue(html.contains("user &quot;bob&quot;, note &quot;fix pages&quot;"), book::toString);
    }

    @Test
    void aStringWithMarkupIsEscaped() {
        String html = page("/object/" + made.bookOid()).body();
        assertTrue(html.contains("&quot;&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"
                + " &amp; \\&quot;quoted\\&quot;&quot;"), html);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("<b>"), html);
    }

    @Test
    void aPageAtAnOlderTidShowsThatSnapshotAndItsLinksKeepIt() {
        Http old = page("/object/" + made.bookOid() + "?at=" + Library.tid(made.aliceTid()));
        assertEquals(200, old.status(), old::toString);
        assertTrue(old.body().contains("<th class=\"field\">pages</th><td class=\"value\">412</td>"), old::toString);
        assertTrue(old.body().contains("href=\"/object/" + made.authorOid() + "?at=" + Library.tid(made.aliceTid())),
                old::toString);
        assertTrue(old.body().contains("<span id=\"snapshot-tid\">" + Library.tid(made.aliceTid()) + "</span>"),
                old::toString);
        assertTrue(old.body().contains("the newest is " + Library.tid(made.bobTid())), old::toString);
        // before alice's transaction, the book did not exist
        Http before = page("/object/" + made.bookOid() + "?at=1");
        assertEquals(404, before.status(), before::toString);
        assertTrue(before.body().contains("did not exist yet at tid 0x0000000000000001"), before::toString);
    }

    @Test
    void theHistoryListsRevisionsNewestFirstWithTheStateAtEach() {
        Http history = page("/history/" + made.bookOid());
        assertEquals(200, history.status(), history::toString);
        String html = history.body();
        int bob = html.indexOf("<td class=\"user\">bob</td>");
        int alice = html.indexOf("<td class=\"user\">alice</td>");
        assertTrue(bob > 0 && alice > bob, history::toString);
        assertEquals(2, count(html, "<details class=\"revision-state\""), history::toString);
        assertTrue(html.contains("<td class=\"value\">412</td>") && html.contains("<td class=\"value\">604</td>"),
                history::toString);
    }

    @Test
    void theDiffNamesEachChangedFieldWithItsOldAndNewValue() {
        Http diff = page("/diff/" + made.bookOid() + "?from=" + Library.tid(made.aliceTid()) + "&to="
                + Library.tid(made.bobTid()));
        assertEquals(200, diff.status(), diff::toString);
        String html = diff.body();
        assertTrue(html.contains("2 fields changed: pages, tags."), diff::toString);
        assertTrue(html.contains("<tr class=\"changed\"><th class=\"field\">pages</th><td class=\"change\">changed</td>"
                + "<td class=\"before\">412</td><td class=\"after\">604</td></tr>"), diff::toString);
        assertTrue(html.contains("<tr class=\"unchanged\"><th class=\"field\">title</th>"), diff::toString);
    }

    @Test
    void theLogIsNewestFirstPagedAndLinksToWhatEachTransactionWrote() {
        Library.commitMany(dir, 55);
        Http first = page("/log");
        assertEquals(200, first.status(), first::toString);
        assertEquals(LogPage.PER_PAGE, count(first.body(), "<tr class=\"transaction\">"), first::toString);
        assertTrue(first.body().indexOf("step 54") < first.body().indexOf("step 53"), first::toString);
        assertTrue(first.body().contains("58 transactions up to this snapshot"), first::toString);
        Matcher older = Pattern.compile("<a id=\"older\" href=\"([^\"]+)\"").matcher(first.body());
        assertTrue(older.find(), first::toString);
        Http second = page(older.group(1).replace("&amp;", "&"));
        assertEquals(8, count(second.body(), "<tr class=\"transaction\">"), second::toString);
        assertTrue(second.body().contains("<td class=\"note\">fix pages</td>"), second::toString);
        assertTrue(second.body().contains("<a class=\"written\" href=\"/object/" + made.bookOid() + "?at="
                + Library.tid(made.bobTid()) + "\">"), second::toString);
        assertTrue(second.body().contains("<td class=\"note\">initial database creation</td>"), second::toString);
    }

    @Test
    void aTransactionShowsItsMetadataAndTheObjectsItWrote() {
        Http t = page("/transaction/" + Library.tid(made.aliceTid()));
        assertEquals(200, t.status(), t::toString);
        assertTrue(t.body().contains("<td id=\"user\">alice</td>") && t.body().contains("<td id=\"note\">add book</td>"),
                t::toString);
        assertTrue(t.body().contains("href=\"/object/" + made.authorOid() + "?at=" + Library.tid(made.aliceTid())
                + "\">oid " + made.authorOid() + "</a></td><td class=\"class\">org.jodb.cli.browse.Library$Author</td>"),
                t::toString);
    }

    @Test
    void searchFindsByOidAndByPartOfAClassName() {
        Http byClass = page("/search?q=library%24b");
        assertEquals(200, byClass.status(), byClass::toString);
        assertTrue(byClass.body().contains("1 object found"), byClass::toString);
        assertTrue(byClass.body().contains(">oid " + made.bookOid() + "</a>"), byClass::toString);
        Http byOid = page("/search?q=" + made.authorOid());
        assertTrue(byOid.body().contains(">oid " + made.authorOid() + "</a></td><td class=\"class\">"
                + "org.jodb.cli.browse.Library$Author"), byOid::toString);
        Http none = page("/search?q=%3Cscript%3E");
        assertTrue(none.body().contains("Nothing found.") && none.body().contains("&quot;&lt;script&gt;&quot;"),
                none::toString);
    }

    @Test
    void badAddressesSayWhatIsWrong() {
        Http unknown = page("/object/999");
        assertEquals(404, unknown.status(), unknown::toString);
        assertTrue(unknown.body().contains("oid 999 is not in the store"), unknown::toString);
        Http bad = page("/object/alice");
        assertEquals(400, bad.status(), bad::toString);
        assertTrue(bad.body().contains("bad oid &quot;alice&quot;: give a number"), bad::toString);
        Http badTid = page("/?at=yesterday");
        assertEquals(400, badTid.status(), badTid::toString);
        Http noPage = page("/admin");
        assertEquals(404, noPage.status(), noPage::toString);
        assertTrue(noPage.body().contains("the pages are /, /object/OID"), noPage::toString);
    }

    @Test
    void itChangesNothingAndAnswersOnlyTheLoopbackName() throws IOException {
        Http post = Http.send(HttpRequest.newBuilder(URI.create(server.url())).POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(405, post.status(), post::toString);
        assertTrue(rawGet("evil.example.com").startsWith("HTTP/1.1 403"));
        assertTrue(rawGet("127.0.0.1:" + server.port()).startsWith("HTTP/1.1 200"));
    }

    @Test
    void pagesCarryAPolicyThatForbidsScripts() {
        HttpRequest r = HttpRequest.newBuilder(URI.create(server.url())).GET().build();
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(r,
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertEquals("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
                    response.headers().firstValue("Content-Security-Policy").orElse(null));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theStoreIsFreeBetweenRequestsAndNewCommitsShowOnTheNextPage() {
        assertEquals(200, page("/").status());
        try (Database db = Database.open(dir)) { // would fail if the browser held the store's lock
            Connection conn = db.open();
            PersistentMap<String, Object> root = conn.root();
            Transactions.get().setUser("carol");
            root.put("shelf", "new");
            Transactions.commit();
            Http live = page("/");
            assertTrue(live.body().contains("&quot;shelf&quot;"), live::toString);
            assertEquals(200, live.status(), live::toString);
            Http old = page("/?at=" + Library.tid(made.bobTid()));
            assertFalse(old.body().contains("shelf"), old::toString);
            conn.close();
        }
    }

    @Test
    void aDamagedTransactionEndsWhatThePagesShowAndTheyWarnOfIt() throws IOException {
        server.close();
        Path segment = dir.resolve("log-00000001.seg");
        byte[] bytes = Files.readAllBytes(segment);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("Frank Herber"); // Kryo marks a string's last character
        assertTrue(at > 0);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (bytes[at] ^ 1)}), at);
        }
        server = BrowseServer.start(dir, 0, ScannedStoreLog::read);
        Http root = page("/");
        assertEquals(200, root.status(), root::toString);
        assertTrue(root.body().contains("bytes follow the last complete transaction"), root::toString);
        assertTrue(root.body().contains("run `jodb verify " + dir + "`"), root::toString);
        assertFalse(root.body().contains("&quot;book&quot;"), root::toString);
    }

    private String rawGet(String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
