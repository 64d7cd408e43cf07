package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Three child JVMs with four writer threads and a reader each, on one database: one child is killed with
 * SIGKILL mid-run, then the server is stopped and started again while the others run. Every snapshot any
 * reader saw summed to the total; every commit a child acknowledged is in the database, none twice (each
 * writer counts its own commits in the same transactions as its transfers); the clients saw clear errors
 * while the server was down and committed again after.
 */
class MultiJvmTest extends PgSchemas {
    private static final int CHILDREN = 3;
    private static final int WRITERS = 4;
    private static final int ACCOUNTS = 20;
    private static final long TOTAL = 100L * ACCOUNTS;

    /** What the children said: the last ack per writer, the sums, the bad sums, the errors. */
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    private final List<String> bad = new CopyOnWriteArrayList<>();
    private final List<String> down = new CopyOnWriteArrayList<>();
    private final Map<Integer, Integer> sums = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> done = new ConcurrentHashMap<>();

    @Test
    void transfersFromThreeJvmsSurviveAKilledChildAndAServerRestart() throws Exception {
        Assumptions.assumeTrue(server.startedHere(), "restarts only the server the tests started");
        String url = server.url(schema("multi"));
        try (Database db = Database.open(url)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            tm.begin();
            for (int i = 0; i < ACCOUNTS; i++) {
                c.root().put("acct" + i, new Account("acct" + i, 100L));
            }
            for (int child = 0; child < CHILDREN; child++) {
                for (int w = 0; w < WRITERS; w++) {
                    c.root().put("w" + child + "_" + w, new Account("w" + child + "_" + w, 0L));
                }
            }
            tm.commit();
            c.close();
        }

        List<Process> children = new ArrayList<>();
        for (int child = 0; child < CHILDREN; child++) {
            children.add(start(url, child));
        }
        try {
            await("every child to commit", () -> ackedBy(0) > 5 && ackedBy(1) > 5 && ackedBy(2) > 5);
            children.get(0).destroyForcibly().waitFor(); // SIGKILL, mid-run
            long beforeStop = ackedBy(1) + ackedBy(2);
            await("the others to go on", () -> ackedBy(1) + ackedBy(2) > beforeStop + 20);

            server.stopServer();
            int downBefore = down.size();
            await("the clients to see the server gone", () -> down.size() > downBefore);
            server.restartServer();
            long afterRestart = ackedBy(1) + ackedBy(2);
            await("commits after the restart", () -> ackedBy(1) > 0 && ackedBy(1) + ackedBy(2) > afterRestart + 20);
            int sumsBefore = sums.getOrDefault(1, 0) + sums.getOrDefault(2, 0);
            await("reads after the restart", () -> sums.getOrDefault(1, 0) + sums.getOrDefault(2, 0) > sumsBefore + 5);
        } finally {
            for (Process p : children) {
                if (p.isAlive()) {
                    try (Writer stop = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
                        stop.write("stop\n");
                    } catch (Exception ignored) {
                        // it ended already
                    }
                }
            }
            for (Process p : children) {
                p.waitFor();
            }
        }
        await("the children to finish", () -> done.containsKey(1) && done.containsKey(2));

        assertEquals(List.of(), bad, "every snapshot sums to the total");
        assertTrue(down.stream().anyMatch(m -> m.contains("server")), "a clear error while down: " + down);
        try (Database db = Database.open(url)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            tm.begin();
            long sum = 0;
            for (int i = 0; i < ACCOUNTS; i++) {
                sum += ((Account) c.root().get("acct" + i)).balance();
            }
            assertEquals(TOTAL, sum);
            for (int child = 0; child < CHILDREN; child++) {
                for (int w = 0; w < WRITERS; w++) {
                    String writer = "w" + child + "_" + w;
                    long committed = ((Account) c.root().get(writer)).balance();
                    long ack = acked.getOrDefault(writer, 0L);
                    if (child == 0) {
                        // killed: a commit may have happened without its acknowledgement being printed
                        assertTrue(committed == ack || committed == ack + 1,
                                writer + ": " + committed + " commits, " + ack + " acknowledged");
                    } else {
                        assertEquals(ack, committed, writer + ": every acknowledged commit, once");
                    }
                }
            }
            tm.abort();
            c.close();
        }
    }

    private long ackedBy(int child) {
        long n = 0;
        for (int w = 0; w < WRITERS; w++) {
            n += acked.getOrDefault("w" + child + "_" + w, 0L);
        }
        return n;
    }

    private Process start(String url, int child) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access")
                    || arg.startsWith("--sun-misc") || arg.startsWith("-Dchronicle")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TransferWorker.class.getName(), url,
                Integer.toString(child), Integer.toString(WRITERS), Integer.toString(ACCOUNTS),
                Long.toString(TOTAL)));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        String[] parts = line.split(" ");
                        acked.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                    } else if (line.startsWith("BAD")) {
                        bad.add("child " + child + ": " + line);
                    } else if (line.startsWith("DOWN")) {
                        down.add(line);
                    } else if (line.equals("SUM")) {
                        sums.merge(child, 1, Integer::sum);
                    } else if (line.equals("DONE")) {
                        done.put(child, true);
                    }
                }
            } catch (Exception ignored) {
                // the child ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited three minutes for " + what);
            }
            Thread.sleep(20);
        }
    }
}
