package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.File;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Classes declared in a JShell session (the doctest runner's case) can be stored, redefined and loaded. */
public class JShellClassTest {
    /** Shared with the JShell session, which runs in this JVM (execution engine "local"). */
    public static final MemoryStorage STORAGE = new MemoryStorage();
    public static final Database DB = Database.open(STORAGE);

    @AfterAll
    static void close() {
        DB.close();
    }

    @Test
    void classDeclaredInJShellIsStoredUnderItsDeclaredNameAndSurvivesRedefinition() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true);
        try (JShell js = JShell.builder().executionEngine("local").out(print).err(print).build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                js.addToClasspath(entry);
            }
            String surefire = System.getProperty("surefire.test.class.path");
            if (surefire != null) {
                for (String entry : surefire.split(File.pathSeparator)) {
                    js.addToClasspath(entry);
                }
            }
            eval(js, "import org.jodb.*; import org.jodb.transaction.*;");
            eval(js, "Database db = org.jodb.JShellClassTest.DB;");
            eval(js, "public class Note { private String text; public Note(String text) { this.text = text; }"
                    + " public String text() { return text; } }");
            // JShell's local engine runs each snippet on a new thread: each block is one transaction
            eval(js, "TransactionManager tm = new TransactionManager(false);");
            eval(js, "Connection c = db.open(tm);");
            eval(js, "{ c.root().put(\"n\", c.create(Note.class, \"hello\")); tm.commit(); }");
            eval(js, "String text = null;");
            eval(js, "{ text = ((Note) c.root().get(\"n\")).text(); tm.abort(); }");
            assertEquals("\"hello\"", eval(js, "text"));
            // a new definition with one more field; the record written with the old one still loads
            eval(js, "public class Note { private String text; private int stars;"
                    + " public Note(String text) { this.text = text; }"
                    + " public String text() { return text; } public int stars() { return stars; } }");
            eval(js, "TransactionManager tm2 = new TransactionManager(false);");
            eval(js, "Connection c2 = db.open(tm2);");
            eval(js, "int stars = -1;");
            eval(js, "{ Note n = (Note) c2.root().get(\"n\"); text = n.text(); stars = n.stars(); tm2.abort(); }");
            assertEquals("\"hello\"", eval(js, "text"));
            assertEquals("0", eval(js, "stars"));
        }
        String stored = new String(STORAGE.load(Storage.ROOT_OID).data());
        assertNull(stored.contains("$JShell$") ? stored : null);
        for (long oid = 1; oid < 50; oid++) {
            var r = STORAGE.load(oid);
            if (r != null && new String(r.data()).contains("$JShell$")) {
                fail("a record names JShell's wrapper class: " + new String(r.data()));
            }
        }
    }

    private static String eval(JShell js, String code) {
        List<SnippetEvent> events = js.eval(code);
        String value = null;
        for (SnippetEvent e : events) {
            if (e.exception() != null) {
                throw new AssertionError("snippet failed: " + code, e.exception());
            }
            if (e.status() == Snippet.Status.REJECTED) {
                throw new AssertionError("snippet rejected: " + code + " "
                        + js.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList());
            }
            if (e.value() != null) {
                value = e.value();
            }
        }
        return value;
    }
}
