package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jodb.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stats} on a store another JVM has open shows that database's runtime figures, read through the Attach
 * API from the MBean the application registered; without one it says how to register it.
 */
class LiveStatsTest {
    @TempDir
    Path dir;

    @Test
    void statsOfALiveStoreShowsTheFiguresOfTheProcessThatHasItOpen() throws Exception {
        Stores.bank(dir);
        try (LiveStore app = LiveStore.start(dir, "mbean")) {
            assertEquals("ready", app.firstLine);
            assertEquals(app.pid() + "\n", Files.readString(dir.resolve(StoreDir.LOCK_FILE)),
                    "the owner keeps its pid in the lock file");

            Run text = Run.of("stats", dir.toString());
            assertEquals(Jodb.OK, text.status(), text::toString);
            assertTrue(text.out().contains("transactions: 5 ("), text::toString);
            assertTrue(text.out().contains("runtime figures of process " + app.pid() + ", which has the store open"
                    + " (JMX org.jodb:type=Database,name="), text::toString);
            assertTrue(text.out().contains("\n  commits            2\n"), text::toString);
            assertTrue(text.out().contains("\n  open connections   1\n"), text::toString);
            assertTrue(text.out().matches("(?s).*\n  cache hit rate     \\d+\\.\\d%\n.*"), text::toString);

            Run json = Run.of("stats", "--json", dir.toString());
            assertEquals(Jodb.OK, json.status(), json::toString);
            assertTrue(json.out().contains(",\"live\":{\"pid\":" + app.pid() + ",\"mbean\":\"org.jodb:type=Database,"),
                    json::toString);
            assertTrue(json.out().contains(",\"figures\":{\"commits\":2,\"conflicts\":0,\"retries\":0,\"giveUps\":0,"),
                    json::toString);
            assertTrue(json.out().trim().endsWith("}}}"), json::toString);
        }
        assertEquals("", Files.readString(dir.resolve(StoreDir.LOCK_FILE)), "the owner empties it at close");
        Run closed = Run.of("stats", dir.toString());
        assertTrue(!closed.out().contains("runtime figures"), closed::toString);
    }

    @Test
    void withoutTheMBeanStatsSaysHowToRegisterIt() throws Exception {
        Stores.bank(dir);
        try (LiveStore app = LiveStore.start(dir, "plain")) {
            Run text = Run.of("stats", dir.toString());
            assertEquals(Jodb.OK, text.status(), text::toString);
            assertTrue(text.out().contains("runtime figures: none from process " + app.pid() + ": process "
                    + app.pid() + " registered no jodb MBean: call db.registerMBean() on its Database"), text::toString);
            Run json = Run.of("stats", "--json", dir.toString());
            assertTrue(json.out().contains(",\"live\":{\"pid\":" + app.pid() + ",\"figures\":null,\"why\":\"process "),
                    json::toString);
        }
    }

    @Test
    void inTheSameProcessTheFiguresComeFromItsOwnMBeanServer() {
        Stores.bank(dir);
        try (Database db = Database.open(dir)) {
            db.registerMBean();
            Run text = Run.of("stats", dir.toString());
            assertEquals(Jodb.OK, text.status(), text::toString);
            assertTrue(text.out().contains("runtime figures of process " + ProcessHandle.current().pid()), text::toString);
            assertTrue(text.out().contains("\n  commits            0\n"), text::toString);
        }
    }

    @Test
    void checkingAStoreThisProcessHasOpenKeepsItsLockAgainstOtherProcesses() throws Exception {
        Stores.bank(dir);
        try (Database db = Database.open(dir)) {
            Run log = Run.of("log", dir.toString());
            assertEquals(Jodb.OK, log.status(), log::toString);
            Run pack = Run.of("pack", dir.toString());
            assertEquals(Jodb.FAILED, pack.status(), pack::toString);
            try (LiveStore other = LiveStore.start(dir, "try-open")) {
                assertTrue(other.firstLine.startsWith("refused: the store " + dir + " is open in another process"),
                        other.firstLine);
            }
        }
    }
}
