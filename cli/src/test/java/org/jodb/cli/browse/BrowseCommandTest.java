package org.jodb.cli.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jodb.cli.Jodb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jodb browse} through the command's entry point: the address it prints, serving, stopping, refusals. */
class BrowseCommandTest {
    @TempDir
    Path dir;

    @Test
    void itPrintsTheAddressServesUntilInterruptedAndThenStops() throws Exception {
        Library.Made made = Library.write(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread[] runner = new Thread[1];
        CompletableFuture<Integer> status = new CompletableFuture<>();
        runner[0] = new Thread(() -> status.complete(Jodb.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "browse", dir.toString(), "--port", "0")));
        runner[0].start();
        String url = awaitAddress(out);
        Http page = Http.get(url + "object/" + made.bookOid());
        assertEquals(200, page.status(), page::toString);
        assertTrue(page.body().contains("Library$Book"), page::toString);
        runner[0].interrupt();
        assertEquals(Jodb.OK, status.get(30, TimeUnit.SECONDS), () -> err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("jodb browse: serving " + dir + " read-only at "
                + "http://127.0.0.1:"), out::toString);
    }

    /** Waits for the line with the address (the command prints it once the server listens). */
    static String awaitAddress(ByteArrayOutputStream out) throws InterruptedException {
        Pattern address = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/) ");
        for (int i = 0; i < 600; i++) {
            Matcher m = address.matcher(out.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the command printed no address: " + out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPortInUseIsRefusedWithTheRemedy() throws IOException {
        Library.write(dir);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run run = Run.of("browse", dir.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(Jodb.FAILED, run.status(), run::toString);
            assertTrue(run.err().startsWith("jodb browse: port " + taken.getLocalPort() + " on 127.0.0.1 is in use"),
                    run::toString);
            assertTrue(run.err().contains("give another port: --port 8081, or --port 0 for a free one."), run::toString);
        }
    }

    @Test
    void aBadStoreIsRefusedWithTheRemedy() {
        Path missing = dir.resolve("nowhere");
        Run run = Run.of("browse", missing.toString(), "--port", "0");
        assertEquals(Jodb.FAILED, run.status(), run::toString);
        assertEquals("jodb browse: no such directory: " + missing + ". Name the directory of a jodb store (the one"
                + " given to Database.open).\n", run.err(), run::toString);
        Run notAStore = Run.of("browse", dir.toString(), "--port", "0");
        assertTrue(notAStore.err().contains(dir + " is not a jodb store"), notAStore::toString);
    }

    @Test
    void aBadPortIsRefused() {
        Library.write(dir);
        Run run = Run.of("browse", dir.toString(), "--port", "70000");
        assertEquals(Jodb.FAILED, run.status(), run::toString);
        assertTrue(run.err().contains("bad port 70000: give 1 to 65535, or 0 for a free one."), run::toString);
    }

    /** One run of the command that returns at once (a refusal), with what it printed. */
    record Run(int status, String out, String err) {
        static Run of(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Jodb.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
