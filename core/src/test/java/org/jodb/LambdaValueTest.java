package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * A lambda stored as a value (directly, or as the comparator of a sorted collection) used to be committed:
 * its hidden class was found again only through the JVM-wide memory of classes seen, so the same JVM read it
 * back, and after a restart the record naming it (the root map here) could not be loaded at all. It is now
 * refused at commit, with the remedy, and nothing is written.
 */
class LambdaValueTest {

    /** A named comparator: stored as a value of its class, loadable in any JVM. */
    public static final class ByLength implements Comparator<String> {
        @Override
        public int compare(String a, String b) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
    }

    @Test
    void aLambdaValueIsRefusedAtCommitAndNothingIsWritten() {
        List<Supplier<Object>> lambdas = List.of(
                () -> (Runnable) () -> { },
                () -> {
                    TreeSet<String> set = new TreeSet<>((a, b) -> Integer.compare(a.length(), b.length()));
                    set.add("abc");
                    return set;
                });
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager();
            Connection c = db.open(tm);
            tm.begin();
            c.root().put("kept", "yes");
            tm.commit();
            long before = db.storage().lastTid();
            for (Supplier<Object> lambda : lambdas) {
                tm.begin();
                c.root().put("value", lambda.get());
                UnsupportedClassException e = assertThrows(UnsupportedClassException.class, tm::commit);
                assertTrue(e.getMessage().contains("lambda") && e.getMessage().contains("named class"),
                        e.getMessage());
                tm.abort();
                assertEquals(before, db.storage().lastTid(), "nothing was written");
            }

            tm.begin();
            assertEquals(List.of("kept"), List.copyOf(c.root().keySet()));
            TreeSet<String> named = new TreeSet<>(new ByLength());
            named.addAll(List.of("ccc", "a", "bb"));
            c.root().put("value", named);
            tm.commit();
            TransactionManager reader = new TransactionManager();
            Connection r = db.open(reader);
            reader.begin();
            assertEquals(List.of("a", "bb", "ccc"), List.copyOf((TreeSet<?>) r.root().get("value")));
            reader.abort();
        }
    }
}
