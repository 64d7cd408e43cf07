package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/** Which comparators a tree keeps, and the keys it refuses. */
class PersistentTreeComparatorTest {

    /** A storable comparator: a static nested class. */
    static final class ByLength implements Comparator<String> {
        @Override
        public int compare(String a, String b) {
            int c = Integer.compare(a.length(), b.length());
            return c != 0 ? c : a.compareTo(b);
        }
    }

    @Test
    void aLambdaIsRefusedWithTheRemedy() {
        Comparator<String> lambda = (a, b) -> b.compareTo(a);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PersistentTreeMap<String, Integer>(lambda));
        assertTrue(e.getMessage().contains("lambda or method reference"), e.getMessage());
        assertTrue(e.getMessage().contains("Write a named class implementing Comparator"), e.getMessage());
    }

    @Test
    void anonymousInnerAndJdkComparatorsAreRefused() {
        Comparator<String> anonymous = new Comparator<>() {
            @Override
            public int compare(String a, String b) {
                return a.compareTo(b);
            }
        };
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PersistentTreeSet<>(anonymous))
                .getMessage().contains("anonymous or local class"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PersistentTreeSet<>(new Inner()))
                .getMessage().contains("inner class"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new PersistentTreeSet<>(String.CASE_INSENSITIVE_ORDER)).getMessage().contains("JDK"));
        assertThrows(IllegalArgumentException.class,
                () -> new PersistentTreeSet<String>(Comparator.comparing(String::length)));
    }

    private final class Inner implements Comparator<String> {
        @Override
        public int compare(String a, String b) {
            return a.compareTo(b);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void storedComparatorsOrderTheKeysAfterAReopen() {
        MemoryStorage storage = new MemoryStorage();
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        PersistentTreeSet<String> byLength = new PersistentTreeSet<>(new ByLength(), 4, 4);
        PersistentTreeMap<Integer, String> reversed = new PersistentTreeMap<>(Comparator.reverseOrder(), 4, 4);
        for (String s : List.of("ccc", "a", "bb", "dddd", "e", "ff", "g", "hhh", "iiiii")) {
            byLength.add(s);
            reversed.put(s.length() * 10 + s.charAt(0), s);
        }
        conn.root().put("byLength", byLength);
        conn.root().put("reversed", reversed);
        tm.commit();
        TransactionManager tm2 = new TransactionManager(false);
        Connection again = Database.open(storage).open(tm2);
        NavigableSet<String> set = (NavigableSet<String>) again.root().get("byLength");
        assertEquals(List.of("a", "e", "g", "bb", "ff", "ccc", "hhh", "dddd", "iiiii"), List.copyOf(set));
        set.add("zz");
        assertEquals("ff", set.lower("zz"));
        NavigableMap<Integer, String> map = (NavigableMap<Integer, String>) again.root().get("reversed");
        assertEquals("iiiii", map.firstEntry().getValue());
        assertEquals(Comparator.reverseOrder(), map.comparator());
        tm2.commit();
    }

    @Test
    void nullAndForeignKeysAreRefusedAsByTreeMap() {
        PersistentTreeMap<Object, String> map = new PersistentTreeMap<>();
        assertThrows(NullPointerException.class, () -> map.put(null, "x"));
        assertThrows(NullPointerException.class, () -> map.get(null));
        map.put("a", "x");
        assertThrows(ClassCastException.class, () -> map.put(1, "y"));
        assertEquals(1, map.size());
    }
}
