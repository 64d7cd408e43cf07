package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 objects changed in one transaction commit in a JVM limited to 256 MiB of heap: savepoints let
 * the cache drop changed objects and spill their states to a temporary file. Runs in
 * a child JVM so that the heap limit is real.
 */
class LargeTransactionTest {
    static final int OBJECTS = 100_000;
    static final int PAYLOAD = 400;

    public static class Blob {
        private String payload;
        private long version;

        public Blob(String payload) {
            this.payload = payload;
        }

        public void bump() {
            version++;
            payload = payload.substring(1) + payload.charAt(0);
        }

        public long version() {
            return version;
        }
    }

    @Test
    void hundredThousandChangedObjectsCommitUnder256MiB(@TempDir Path tmp) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-Xmx256m", "-Djava.io.tmpdir=" + tmp,
                "-cp", classpath, LargeTransactionTest.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("spilled=true"), output);
        assertTrue(output.contains("committed=" + OBJECTS), output);
        assertTrue(output.contains("leftover=0"), output);
    }

    /** The child JVM's work; prints what the test checks, exits non-zero on failure. */
    public static void main(String[] args) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Database db = Database.inMemory(new Database.Options().cacheSize(1_000).savepointSpillThreshold(8 << 20));
        TransactionManager tm = new TransactionManager(false);
        Connection conn = db.open(tm);
        PersistentList<Blob> blobs = new PersistentList<>();
        conn.root().put("blobs", blobs);
        String payload = "x".repeat(PAYLOAD);
        for (int i = 0; i < OBJECTS; i++) {
            blobs.add(conn.create(Blob.class, payload));
            if (i % 10_000 == 9_999) {
                tm.commit();
            }
        }
        tm.commit();
        boolean spilled = false;
        for (int i = 0; i < OBJECTS; i++) {
            blobs.get(i).bump();
            if (i % 5_000 == 4_999) {
                tm.savepoint();
                spilled |= spillFiles(tmp) > 0;
            }
        }
        tm.commit();
        System.out.println("spilled=" + spilled);
        System.out.println("leftover=" + spillFiles(tmp));
        TransactionManager check = new TransactionManager(false);
        @SuppressWarnings("unchecked")
        List<Blob> stored = (List<Blob>) db.open(check).root().get("blobs");
        int committed = 0;
        for (Blob b : stored) {
            committed += b.version() == 1 ? 1 : 0;
        }
        check.abort();
        System.out.println("committed=" + committed);
        db.close();
        System.exit(committed == OBJECTS ? 0 : 1);
    }

    private static long spillFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("jodb-savepoint-")).count();
        }
    }
}
