package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jodb.spi.Revision;
import org.junit.jupiter.api.Test;

/**
 * A transaction of a million small objects commits from a JVM whose heap ({@value #HEAP}) is far smaller than
 * its records with the maps that would hold them (about 150 MB): the storage holds a bounded part of them and
 * sends the rest ahead of vote. Every object is there after, with its record, in that one transaction, and
 * nothing is left staged.
 */
class LargeCommitTest extends PgSchemas {
    private static final int OBJECTS = 1_000_000;
    private static final String HEAP = "-Xmx64m";

    @Test
    void aMillionObjectTransactionCommitsWithABoundedHeap() throws Exception {
        String schema = schema("large");
        String url = server.url(schema);
        PostgresStorage.open(url).close(); // the tables, before the child

        String[] committed = runChild(url).split(" ");
        long tid = Long.parseLong(committed[1]);
        long first = Long.parseLong(committed[2]);
        long last = Long.parseLong(committed[3]);
        assertEquals(OBJECTS - 1, last - first, "the child's oids are consecutive (one oid block per 10,000)");

        String q = SchemaName.quoted(schema);
        assertEquals(OBJECTS, count(q + ".object_state WHERE tid = " + tid), "every object, in the one transaction");
        assertEquals(1, count(q + ".transactions WHERE tid = " + tid));
        assertEquals(0, count(q + ".object_staging"), "nothing left staged");
        try (PostgresStorage storage = PostgresStorage.open(url)) {
            assertEquals(tid, storage.lastTid());
            Random random = new Random(7);
            List<Long> sample = new ArrayList<>(List.of(first, last));
            for (int i = 0; i < 1_000; i++) {
                sample.add(first + random.nextInt(OBJECTS));
            }
            for (long oid : sample) {
                Revision r = storage.load(oid);
                assertEquals(tid, r.tid(), "oid " + oid);
                assertArrayEquals(LargeCommitWorker.record(oid), r.data(), "oid " + oid);
            }
        }
    }

    private static String runChild(String url) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(HEAP);
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access")
                    || arg.startsWith("--sun-misc") || arg.startsWith("-Dchronicle")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LargeCommitWorker.class.getName(), url,
                Integer.toString(OBJECTS)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the child ends");
        assertEquals(0, p.exitValue(), "the child's output:\n" + out);
        return out.lines().filter(l -> l.startsWith("COMMITTED ")).findFirst()
                .orElseThrow(() -> new AssertionError("the child did not commit:\n" + out));
    }

    private static long count(String from) throws SQLException {
        try (Connection c = server.admin(); PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + from);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
