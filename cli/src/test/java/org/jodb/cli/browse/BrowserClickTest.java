package org.jodb.cli.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jodb.cli.ScannedStoreLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The browser view as a person uses it: in a headless Chromium, following links and reading the pages. */
class BrowserClickTest {
    static Chromium chromium;
    WebDriver driver;
    @TempDir
    Path dir;
    Library.Made made;
    BrowseServer server;

    @BeforeAll
    static void startBrowser() throws IOException {
        chromium = Chromium.start(1200, 900);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void start() {
        made = Library.write(dir);
        server = BrowseServer.start(dir, 0, ScannedStoreLog::read);
        driver = chromium.driver;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void fromTheRootToAnObjectItsHistoryAndATransaction() {
        driver.get(server.url());
        assertTrue(driver.getTitle().startsWith("root org.jodb.PersistentMap"), driver::getTitle);
        assertTrue(footer().contains("Showing the snapshot at tid " + Library.tid(made.bobTid())), this::footer);

        driver.findElement(By.linkText("oid " + made.bookOid())).click();
        assertEquals("org.jodb.cli.browse.Library$Book", driver.findElement(By.id("class-name")).getText());
        assertEquals("604", field("pages"));
        assertEquals("\"Dune\"", field("title"));

        driver.findElement(By.id("history-link")).click();
        List<WebElement> rows = driver.findElements(By.cssSelector("#revisions tr.revision"));
        assertEquals(2, rows.size());
        assertEquals("bob", rows.get(0).findElement(By.className("user")).getText());
        assertEquals("alice", rows.get(1).findElement(By.className("user")).getText());

        rows.get(1).findElement(By.className("txn")).click();
        assertEquals(Library.tid(made.aliceTid()), driver.findElement(By.id("tid")).getText());
        assertEquals("alice", driver.findElement(By.id("user")).getText());
        assertEquals("add book", driver.findElement(By.id("note")).getText());

        driver.findElement(By.linkText("oid " + made.authorOid())).click();
        assertEquals("org.jodb.cli.browse.Library$Author", driver.findElement(By.id("class-name")).getText());
        assertEquals("\"Frank Herbert\"", field("name"));
        assertTrue(footer().contains("Showing the snapshot at tid " + Library.tid(made.aliceTid())), this::footer);
    }

    @Test
    void theDiffFormComparesTwoRevisions() {
        driver.get(server.url() + "history/" + made.bookOid());
        Select from = new Select(driver.findElement(By.name("from")));
        Select to = new Select(driver.findElement(By.name("to")));
        assertEquals(Library.tid(made.aliceTid()), from.getFirstSelectedOption().getText());
        assertEquals(Library.tid(made.bobTid()), to.getFirstSelectedOption().getText());
        driver.findElement(By.cssSelector("#diff-form button")).click();
        assertEquals("2 fields changed: pages, tags.", awaitElement("diff-summary").getText());
        WebElement pages = driver.findElement(By.cssSelector("#diff tr.changed"));
        assertEquals("pages changed 412 604", pages.getText());
    }

    @Test
    void theLogAndSearchLeadToObjects() {
        driver.get(server.url());
        driver.findElement(By.id("nav-log")).click();
        List<WebElement> txns = driver.findElements(By.cssSelector("#log tr.transaction"));
        assertEquals(3, txns.size());
        assertEquals("fix pages", txns.get(0).findElement(By.className("note")).getText());
        txns.get(0).findElement(By.linkText(Long.toString(made.bookOid()))).click();
        assertEquals("604", field("pages"));

        driver.findElement(By.id("search-box")).sendKeys("author\n");
        assertEquals("1 object found.", awaitElement("result-count").getText());
        driver.findElement(By.className("found")).click();
        assertEquals("org.jodb.cli.browse.Library$Author", driver.findElement(By.id("class-name")).getText());
    }

    @Test
    void aStoredStringWithMarkupIsShownAsTextAndItsScriptNeverRuns() {
        driver.get(server.url() + "object/" + made.bookOid());
        String title = driver.getTitle();
        assertEquals("oid " + made.bookOid() + " org.jodb.cli.browse.Library$Book · jodb browse", title);
        assertEquals("\"" + Library.BLURB.replace("\"", "\\\"") + "\"", field("blurb"));
        WebElement cell = valueCell("blurb");
        assertTrue(cell.findElements(By.tagName("b")).isEmpty(), "the stored <b> became an element");
        assertTrue(cell.findElements(By.tagName("script")).isEmpty(), "the stored <script> became an element");
        assertEquals(title, driver.getTitle(), "a script ran and changed the title");
    }

    private String field(String name) {
        return valueCell(name).getText();
    }

    private WebElement valueCell(String name) {
        return driver.findElement(By.xpath("//table[@class='fields']/tbody/tr[th[@class='field' and text()='" + name
                + "']]/td[@class='value']"));
    }

    private String footer() {
        return driver.findElement(By.id("snapshot")).getText();
    }

    /**
     * The element with {@code id} on the page a form's submission leads to: a click on a submit button (or an
     * Enter in a field) may return before that page has loaded, where a link's click waits for it.
     */
    private WebElement awaitElement(String id) {
        return new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }
}
