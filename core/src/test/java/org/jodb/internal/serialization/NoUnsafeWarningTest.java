package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * jodb's own code paths use no memory-access method of {@code sun.misc.Unsafe} unless the JVM allows it:
 * from JDK 24 on, the first such call prints a four-line warning. Kryo probes {@code Unsafe} when it starts
 * unless {@code kryo.unsafe=false}, which jodb sets before Kryo loads (an application's own setting is
 * kept); a savepoint's spill file is unmapped through {@code Unsafe} only where that is silent. Each case
 * runs in a child JVM, the only place where Kryo has not started yet: on JDK 24 and later the child's
 * standard error shows whether a warning was printed.
 */
class NoUnsafeWarningTest {

    /** Commits an object through Kryo, with a savepoint spilled to a file; prints whether Kryo uses Unsafe. */
    public static void main(String[] args) {
        Database.Options options = new Database.Options().savepointSpillThreshold(1);
        try (Database db = Database.inMemory(options)) {
            TransactionManager tm = new TransactionManager();
            Connection c = db.open(tm);
            tm.begin();
            c.root().put("list", new ArrayList<>(List.of("a", "b")));
            tm.savepoint();
            c.root().put("more", "c");
            tm.commit();
        }
        System.out.println("kryo.unsafe=" + com.esotericsoftware.kryo.util.Util.unsafe);
        System.exit(0);
    }

    private static String[] runChild(String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NoUnsafeWarningTest.class.getName());
        Process child = new ProcessBuilder(command).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends");
        assertEquals(0, child.exitValue(), out + err);
        return new String[] {out.strip(), err};
    }

    @Test
    void jodbStartsKryoWithoutUnsafeAndPrintsNoWarning() throws Exception {
        String[] child = runChild();
        assertEquals("kryo.unsafe=false", child[0], child[1]);
        assertFalse(child[1].contains("sun.misc.Unsafe"), child[1]);
    }

    @Test
    void anApplicationsOwnChoiceIsKept() throws Exception {
        assertEquals("kryo.unsafe=true", runChild("-Dkryo.unsafe=true")[0]);
    }
}
