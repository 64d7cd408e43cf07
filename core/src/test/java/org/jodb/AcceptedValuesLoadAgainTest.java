package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jodb.internal.serialization.Holder;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values that a commit accepts must load again: a record that commits but cannot be read makes the object
 * holding it (and, when that is the root, the whole database) unreadable after the commit was acknowledged.
 */
class AcceptedValuesLoadAgainTest {

    /**
     * An EnumMap value loads back equal, its key type included (a generic map serializer would create it
     * without a constructor and leave its key type null, and the load would fail in EnumMap.typeCheck).
     */
    @Test
    void enumMapValueLoadsAfterCommit() {
        EnumMap<TimeUnit, String> value = new EnumMap<>(Map.of(TimeUnit.SECONDS, "s"));
        assertEquals(value, Holder.roundTrip(value));
    }

    @Test
    @SuppressWarnings("unchecked")
    void emptyEnumMapKeepsItsKeyType() {
        EnumMap<TimeUnit, String> back = (EnumMap<TimeUnit, String>) Holder.roundTrip(new EnumMap<>(TimeUnit.class));
        assertEquals(Map.of(), back);
        back.put(TimeUnit.DAYS, "d"); // needs the key type: EnumMap.typeCheck
        assertEquals(Map.of(TimeUnit.DAYS, "d"), back);
    }

    /**
     * A List view such as ArrayList.subList is refused at commit, naming the field and the remedy: it
     * cannot be rebuilt without its backing list, so a record holding it would commit and then never load.
     */
    @Test
    void subListValueIsRefusedAtCommit() {
        List<Integer> value = new ArrayList<>(List.of(1, 2, 3)).subList(0, 2);
        UnsupportedClassException e = commitFailure(value);
        assertTrue(e.getMessage().contains("Holder.value"), e.getMessage());
        assertTrue(e.getMessage().contains("store a copy: new ArrayList<>(view)"), e.getMessage());
    }

    /** Views and wrappers that Kryo would rebuild without a constructor: refused, with the copy to store. */
    static Stream<Arguments> views() {
        TreeMap<Integer, String> tree = new TreeMap<>(Map.of(1, "a", 2, "b", 3, "c"));
        HashMap<Integer, String> hash = new HashMap<>(tree);
        LinkedHashMap<Integer, String> linked = new LinkedHashMap<>(tree);
        ConcurrentHashMap<Integer, String> concurrent = new ConcurrentHashMap<>(tree);
        return Stream.of(
                Arguments.of("ArrayList.subList", new ArrayList<>(List.of(1, 2, 3)).subList(0, 2), "ArrayList"),
                Arguments.of("LinkedList.subList", new LinkedList<>(List.of(1, 2, 3)).subList(0, 2), "ArrayList"),
                Arguments.of("Arrays.asList.subList", Arrays.asList(1, 2, 3).subList(1, 3), "ArrayList"),
                Arguments.of("HashMap.keySet", hash.keySet(), "LinkedHashSet"),
                Arguments.of("HashMap.values", hash.values(), "ArrayList"),
                Arguments.of("HashMap.entrySet", hash.entrySet(), "LinkedHashSet"),
                Arguments.of("LinkedHashMap.keySet", linked.keySet(), "LinkedHashSet"),
                Arguments.of("LinkedHashMap.values", linked.values(), "ArrayList"),
                Arguments.of("TreeMap.keySet", tree.keySet(), "TreeSet"),
                Arguments.of("TreeMap.values", tree.values(), "ArrayList"),
                Arguments.of("TreeMap.entrySet", tree.entrySet(), "LinkedHashSet"),
                Arguments.of("TreeMap.subMap", tree.subMap(1, 3), "TreeMap"),
                Arguments.of("TreeMap.headMap", tree.headMap(2), "TreeMap"),
                Arguments.of("TreeMap.tailMap", tree.tailMap(2), "TreeMap"),
                Arguments.of("TreeMap.descendingMap", tree.descendingMap(), "TreeMap"),
                Arguments.of("ConcurrentHashMap.keySet", concurrent.keySet(), "LinkedHashSet"),
                Arguments.of("ConcurrentHashMap.values", concurrent.values(), "ArrayList"),
                Arguments.of("Collections.nCopies", Collections.nCopies(3, "x"), "ArrayList"),
                Arguments.of("Collections.checkedList",
                        Collections.checkedList(new ArrayList<>(List.of("a")), String.class), "ArrayList"),
                Arguments.of("a subList inside an ArrayList",
                        new ArrayList<>(List.of(new ArrayList<>(List.of(1, 2)).subList(0, 1))), "ArrayList"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("views")
    void viewIsRefusedAtCommitWithItsRemedy(String name, Object view, String copy) {
        UnsupportedClassException e = commitFailure(view);
        assertTrue(e.getMessage().contains("Holder.value"), e.getMessage());
        assertTrue(e.getMessage().contains("store a copy: new " + copy + "<>(view)"), e.getMessage());
    }

    /** A list class of the user's that Kryo would make without running a constructor. */
    public static class Bag extends ArrayList<String> {
        public Bag(int capacity) {
            super(capacity);
        }
    }

    @Test
    void collectionClassWithoutNoArgConstructorIsRefusedAtCommit() {
        Bag bag = new Bag(4);
        bag.add("x");
        UnsupportedClassException e = commitFailure(bag);
        assertTrue(e.getMessage().contains("Holder.value"), e.getMessage());
        assertTrue(e.getMessage().contains("give Bag one"), e.getMessage());
    }

    @Test
    void jdkClassWithOnlyTransientStateIsRefusedAtCommit() throws Exception {
        UnsupportedClassException e = commitFailure(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        assertTrue(e.getMessage().contains("Holder.value"), e.getMessage());
        assertTrue(e.getMessage().contains("only in transient fields"), e.getMessage());
    }

    /** Common JDK values and collections: each loads back equal (compared through {@link #comparable}). */
    static Stream<Arguments> values() throws Exception {
        return Stream.of(
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                URI.create("https://example.com/a?b=c#d"),
                new URL("https://example.com/a"),
                Pattern.compile("a+b", Pattern.CASE_INSENSITIVE),
                new BigDecimal("12345.678900"),
                new BigInteger("123456789012345678901234567890"),
                LocalDate.of(2024, 2, 29),
                LocalDateTime.of(2024, 2, 29, 13, 14, 15, 16),
                LocalTime.of(1, 2, 3),
                Instant.ofEpochSecond(1_700_000_000L, 5),
                Duration.ofMillis(1234),
                Period.of(1, 2, 3),
                ZonedDateTime.of(2024, 3, 31, 2, 30, 0, 0, ZoneId.of("Europe/Paris")),
                OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-5)),
                ZoneId.of("America/New_York"),
                YearMonth.of(2024, 5),
                Optional.of("x"),
                Optional.empty(),
                OptionalInt.of(4),
                OptionalLong.of(5L),
                OptionalDouble.of(6.5),
                new AtomicLong(7),
                new AtomicInteger(8),
                new AtomicBoolean(true),
                new AtomicReference<>("ref"),
                new File("data", "x.txt"),
                Path.of("data", "y.txt"),
                Currency.getInstance("EUR"),
                Locale.CANADA_FRENCH,
                new EnumMap<>(Map.of(TimeUnit.SECONDS, "s", TimeUnit.DAYS, "d")),
                EnumSet.of(TimeUnit.HOURS, TimeUnit.MINUTES),
                List.of(1, 2, 3),
                Set.of("a"),
                Map.of("k", 1, "l", 2),
                Arrays.asList("x", "y"),
                Collections.emptyList(),
                Collections.singletonMap("k", "v"),
                Collections.unmodifiableList(new ArrayList<>(List.of(1))),
                Collections.synchronizedMap(new HashMap<>(Map.of(1, 2))),
                new ArrayList<>(List.of(1, 2)),
                new LinkedList<>(List.of(1, 2)),
                new HashMap<>(Map.of(1, 2)),
                new LinkedHashMap<>(Map.of(1, 2)),
                new TreeMap<>(Map.of(1, 2)),
                new HashSet<>(Set.of(1, 2)),
                new LinkedHashSet<>(Set.of(1, 2)),
                new TreeSet<>(Set.of(1, 2)),
                new ArrayDeque<>(List.of(1, 2)),
                new ConcurrentHashMap<>(Map.of(1, 2)),
                new CopyOnWriteArrayList<>(List.of(1, 2)),
                new Vector<>(List.of(1, 2))).map(v -> Arguments.of(v.getClass().getName(), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void valueLoadsBackEqual(String name, Object value) {
        assertEquals(comparable(value), comparable(Holder.roundTrip(value)));
    }

    /** Classes without value equality compared through what they hold. */
    private static Object comparable(Object value) {
        if (value instanceof Pattern p) {
            return p.pattern() + "/" + p.flags();
        }
        if (value instanceof AtomicLong || value instanceof AtomicInteger || value instanceof AtomicBoolean
                || value instanceof AtomicReference || value instanceof StringBuilder) {
            return value.getClass().getName() + "=" + value;
        }
        if (value instanceof ArrayDeque<?> d) {
            return List.copyOf(d);
        }
        return value;
    }

    private static UnsupportedClassException commitFailure(Object value) {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("h", c.create(Holder.class, value));
            UnsupportedClassException e = assertThrows(UnsupportedClassException.class, tm::commit);
            tm.abort();
            return e;
        }
    }
}
