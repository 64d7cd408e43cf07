package org.jodb.cli.browse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jodb.cli.ScannedStoreLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * Takes the screenshots README shows (cli/docs/*.png), run by hand when the pages change:
 * {@code mvn -o -pl core,storage,cli test -Dtest=ScreenshotsTest -Djodb.screenshots=$PWD/cli/docs}.
 * Without the property it does not run: a picture is not a check.
 */
@EnabledIfSystemProperty(named = "jodb.screenshots", matches = ".+")
class ScreenshotsTest {
    @TempDir
    Path dir;

    @Test
    void eachPage() throws IOException {
        Path out = Files.createDirectories(Path.of(System.getProperty("jodb.screenshots")));
        Library.Made made = Library.write(dir);
        Library.commitMany(dir, 3);
        try (BrowseServer server = BrowseServer.start(dir, 0, ScannedStoreLog::read);
             Chromium chromium = Chromium.start(1100, 760)) {
            WebDriver d = chromium.driver;
            String u = server.url();
            shoot(d, u, out, "root");
            shoot(d, u + "object/" + made.bookOid(), out, "object");
            shoot(d, u + "history/" + made.bookOid(), out, "history");
            shoot(d, u + "diff/" + made.bookOid() + "?from=" + Library.tid(made.aliceTid()) + "&to="
                    + Library.tid(made.bobTid()), out, "diff");
            shoot(d, u + "log", out, "log");
            shoot(d, u + "transaction/" + Library.tid(made.aliceTid()), out, "transaction");
            shoot(d, u + "search?q=library", out, "search");
        }
    }

    private static void shoot(WebDriver driver, String url, Path dir, String name) throws IOException {
        driver.get(url);
        Files.write(dir.resolve("browse-" + name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
