package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.MonthDay;
import java.time.OffsetTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Calendar;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumSet;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Set;
import java.util.Stack;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.UnsupportedClassException;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** JDK value types a user would keep in a persistent object: each loads back equal in a new connection. */
class ValueSerializersTest {

    record Point(int x, int y, List<String> tags) {
    }

    enum Planet { MERCURY, VENUS { @Override public String toString() { return "venus"; } }, EARTH }

    /** The bytes of every record of {@code storage}, as Latin-1 text, to look for class names. */
    private static String allRecords(Storage storage) {
        StringBuilder text = new StringBuilder();
        for (long oid = 0; oid < 1000; oid++) {
            Revision r = storage.load(oid);
            if (r != null) {
                text.append(new String(r.data(), StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return text.toString();
    }

    @Test
    void platformClassesAreStoredUnderTheirPublicType() {
        MemoryStorage storage = new MemoryStorage();
        Database db = Database.open(storage);
        TransactionManager tm = new TransactionManager(false);
        Connection c = db.open(tm);
        c.root().put("h", c.create(Holder.class, List.of(Path.of("data", "x.txt"), StandardCharsets.UTF_8,
                TimeZone.getTimeZone("Europe/Paris"))));
        tm.commit();
        String records = allRecords(storage);
        assertFalse(records.contains("sun."), "a JDK-internal class name was stored: " + records);
        assertTrue(records.contains("java.nio.file.Path"), records);
        assertTrue(records.contains("java.nio.charset.Charset"), records);
        assertTrue(records.contains("java.util.TimeZone"), records);
        TransactionManager reader = new TransactionManager(false);
        List<?> back = (List<?>) ((Holder) db.open(reader).root().get("h")).value();
        assertEquals(List.of(Path.of("data", "x.txt"), StandardCharsets.UTF_8, TimeZone.getTimeZone("Europe/Paris")),
                back);
        assertSame(StandardCharsets.UTF_8, back.get(1));
        reader.abort();
        db.close();
    }

    @Test
    void mapBackedSetsLoadAsTheSameKindOfSet() {
        Set<String> newKeySet = ConcurrentHashMap.newKeySet();
        newKeySet.add("a");
        Set<String> linked = Collections.newSetFromMap(new LinkedHashMap<>());
        linked.addAll(List.of("z", "a", "m"));
        Set<String> sorted = Collections.newSetFromMap(new TreeMap<String, Boolean>(Comparator.reverseOrder()));
        sorted.addAll(List.of("a", "c", "b"));
        Set<Object> identity = Collections.newSetFromMap(new IdentityHashMap<>());
        identity.add(new String("k"));

        @SuppressWarnings("unchecked")
        Set<String> keySetBack = (Set<String>) Holder.roundTrip(newKeySet);
        assertEquals(newKeySet.getClass(), keySetBack.getClass());
        assertTrue(keySetBack.add("b"), "a new key set can add");
        assertEquals(Set.of("a", "b"), keySetBack);

        @SuppressWarnings("unchecked")
        Set<String> linkedBack = (Set<String>) Holder.roundTrip(linked);
        assertEquals(linked.getClass(), linkedBack.getClass());
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(linkedBack), "insertion order of the LinkedHashMap");
        linkedBack.add("b");
        assertEquals(List.of("z", "a", "m", "b"), new ArrayList<>(linkedBack));

        @SuppressWarnings("unchecked")
        Set<String> sortedBack = (Set<String>) Holder.roundTrip(sorted);
        assertEquals(List.of("c", "b", "a"), new ArrayList<>(sortedBack), "the TreeMap's comparator is kept");

        @SuppressWarnings("unchecked")
        Set<Object> identityBack = (Set<Object>) Holder.roundTrip(identity);
        assertEquals(1, identityBack.size());
        assertFalse(identityBack.contains("k"), "an equal but different String is not in an identity set");
        assertTrue(identityBack.contains(identityBack.iterator().next()));
    }

    @Test
    void aSetFromMapOfPersistentObjectsKeepsThem() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            Holder inner = c.create(Holder.class, "inner");
            Set<Object> set = Collections.newSetFromMap(new HashMap<>());
            set.add(inner);
            c.root().put("h", c.create(Holder.class, set));
            tm.commit();
            TransactionManager reader = new TransactionManager(false);
            Connection c2 = db.open(reader);
            Set<?> back = (Set<?>) ((Holder) c2.root().get("h")).value();
            Holder innerBack = (Holder) back.iterator().next();
            assertEquals("inner", innerBack.value());
            assertSame(c2.get(org.jodb.Persistence.oid(inner).orElseThrow()), innerBack);
            reader.abort();
        }
    }

    @Test
    void anImmutableListHoldingNullIsRefusedWithTheRemedy() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("h", c.create(Holder.class, Stream.of("a", null).toList()));
            UnsupportedClassException e = assertThrows(UnsupportedClassException.class, tm::commit);
            assertTrue(e.getMessage().contains("Holder.value"), e.getMessage());
            assertTrue(e.getMessage().contains("ImmutableCollections$ListN that holds null"), e.getMessage());
            assertTrue(e.getMessage().contains("store new ArrayList<>(list)"), e.getMessage());
            tm.abort();
        }
    }

    @Test
    void concurrentHashMapKeySetViewIsStillRefusedWithTheRemedy() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("h", c.create(Holder.class, new ConcurrentHashMap<>(Map.of(1, 2)).keySet()));
            UnsupportedClassException e = assertThrows(UnsupportedClassException.class, tm::commit);
            assertTrue(e.getMessage().contains("ConcurrentHashMap.newKeySet()"), e.getMessage());
            tm.abort();
        }
    }

    static Stream<Arguments> values() {
        Set<String> newKeySet = ConcurrentHashMap.newKeySet();
        newKeySet.addAll(List.of("a", "b"));
        Set<String> fromHashMap = Collections.newSetFromMap(new HashMap<>());
        fromHashMap.addAll(List.of("a", "b"));
        Set<String> fromConcurrent = Collections.newSetFromMap(new ConcurrentHashMap<>());
        fromConcurrent.add("c");
        Set<String> fromLinked = Collections.newSetFromMap(new LinkedHashMap<>());
        fromLinked.addAll(List.of("z", "a", "m"));
        Properties props = new Properties();
        props.setProperty("k", "v");
        Stack<Integer> stack = new Stack<>();
        stack.push(1);
        BitSet bits = new BitSet();
        bits.set(3);
        bits.set(130);
        TreeMap<String, Integer> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.putAll(Map.of("a", 1, "b", 2));
        TreeSet<String> caseless = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        caseless.addAll(List.of("B", "a"));
        Calendar calendar = new GregorianCalendar(2024, Calendar.MARCH, 5);
        return Stream.of(
                newKeySet,
                fromHashMap,
                fromConcurrent,
                fromLinked,
                StandardCharsets.UTF_8,
                TimeZone.getTimeZone("Europe/Paris"),
                bits,
                new int[] {1, 2, 3},
                new String[][] {{"a"}, {"b", "c"}},
                new Object[] {1, "x", List.of(2)},
                new Point(1, 2, List.of("t")),
                EnumSet.noneOf(TimeUnit.class),
                EnumSet.allOf(Character.UnicodeScript.class),
                EnumSet.of(Planet.VENUS),
                Planet.VENUS,
                DayOfWeek.FRIDAY,
                Year.of(2024),
                MonthDay.of(2, 29),
                OffsetTime.of(1, 2, 3, 4, ZoneOffset.UTC),
                ZoneOffset.ofHours(3),
                new Date(1_700_000_000_000L),
                calendar,
                'c',
                (byte) 1,
                (short) 2,
                3.5f,
                new StringBuilder("sb"),
                String.class,
                List.of(),
                Set.of(),
                Map.of(),
                List.of(1, 2, 3, 4, 5),
                Stream.of("a", "b").toList(),
                Map.ofEntries(Map.entry("a", 1), Map.entry("b", 2), Map.entry("c", 3)),
                List.copyOf(new ArrayList<>(List.of(1))),
                Collections.emptySet(),
                Collections.emptyMap(),
                Collections.singletonList("x"),
                Collections.singleton("x"),
                Collections.unmodifiableSet(EnumSet.of(TimeUnit.DAYS)),
                reversed,
                caseless,
                new PriorityQueue<>(List.of(3, 1, 2)),
                new ConcurrentSkipListMap<>(Map.of(1, 2)),
                new ConcurrentSkipListSet<>(Set.of(1, 2)),
                new ConcurrentLinkedQueue<>(List.of(1, 2)),
                new LinkedBlockingQueue<>(List.of(1, 2)),
                new CopyOnWriteArraySet<>(Set.of(1, 2)),
                new Hashtable<>(Map.of(1, 2)),
                new IdentityHashMap<>(Map.of("k", 2)),
                props,
                stack,
                new BigDecimal("1E+3")).map(v -> Arguments.of(v.getClass().getName(), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void valueLoadsBackEqualInANewConnection(String name, Object value) {
        assertEquals(comparable(value), comparable(Holder.roundTrip(value)));
    }

    private static Object classOf(Object o) {
        return o == null ? null : o.getClass();
    }

    /** Values without value equality, compared through what they hold and their class. */
    static Object comparable(Object value) {
        if (value instanceof Object[] array) {
            return Arrays.deepToString(array);
        }
        if (value instanceof int[] array) {
            return Arrays.toString(array);
        }
        if (value instanceof StringBuilder || value instanceof PriorityQueue || value instanceof java.util.Queue) {
            return value.getClass().getName() + "=" + (value instanceof PriorityQueue<?> q
                    ? new TreeSet<>(q) : value.toString());
        }
        if (value instanceof java.util.SortedSet<?> s) {
            return value.getClass().getName() + "=" + s + " " + classOf(s.comparator());
        }
        if (value instanceof java.util.SortedMap<?, ?> m) {
            return value.getClass().getName() + "=" + m + " " + classOf(m.comparator());
        }
        if (value instanceof IdentityHashMap<?, ?> m) {
            return "IdentityHashMap=" + new HashMap<>(m);
        }
        return value;
    }
}
