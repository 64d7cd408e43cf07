package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jodb.UnsupportedClassException;
import org.jodb.internal.object.PersistentObject;
import org.jodb.internal.object.Proxies;
import org.junit.jupiter.api.Test;

class ObjectRecordCodecTest {

    /** A registry and an oid table in memory: what a connection provides, without storage. */
    static final class MapContext implements RecordContext {
        final Map<String, Long> ids = new HashMap<>();
        final Map<Long, String> entries = new HashMap<>();
        final Map<Object, Long> oids = new java.util.IdentityHashMap<>();
        final Map<Long, Object> objects = new HashMap<>();
        long next = 100;

        @Override
        public long entryId(String entry) {
            return ids.computeIfAbsent(entry, e -> {
                long id = next++;
                entries.put(id, e);
                return id;
            });
        }

        @Override
        public String entry(long id) {
            return entries.get(id);
        }

        @Override
        public long referenceOid(Object persistent) {
            return oids.computeIfAbsent(persistent, p -> {
                long oid = next++;
                objects.put(oid, p);
                return oid;
            });
        }

        @Override
        public Object resolveReference(long oid, Class<?> type) {
            Object o = objects.get(oid);
            assertTrue(type.isInstance(o));
            return o;
        }
    }

    public static class Address {
        private String city;
        private int zip;

        Address() {
        }

        Address(String city, int zip) {
            this.city = city;
            this.zip = zip;
        }
    }

    public static class Person {
        private String name;
        private long born;
        private List<String> tags = new ArrayList<>();
        private Address home;
        private Address work;
        private Object friend;
        private List<String> readOnly;
        private transient String cached = "x";
    }

    /** The same class after an evolution: a field removed (born), one added (email). */
    public static class PersonV2 {
        private String name;
        private String email;
        private List<String> tags;
    }

    public static class Counts {
        private long count;
        private int small;
        private Long boxed;
        private String label;
        private double ratio;
        private boolean flag;
        private char letter;
    }

    /** Counts after its field types changed; {@code label} can no longer hold what was stored. */
    public static class CountsV2 {
        private int count;
        private long small;
        private long boxed;
        private int label = 7;
        private double ratio;
        private boolean flag;
        private char letter;
    }

    public static class Holder {
        private Object value;
    }

    /** An enum as first stored. */
    public enum ColorV1 { RED, GREEN, BLUE { @Override public String toString() { return "blue"; } } }

    /** The same enum after its constants were reordered. */
    public enum ColorV2 { BLUE { @Override public String toString() { return "blue"; } }, GREEN, RED }

    /** The same enum after GREEN was removed. */
    public enum ColorV3 { RED, BLUE }

    private final Proxies proxies = new Proxies();
    private final ObjectRecordCodec codec = new ObjectRecordCodec(proxies, new ClassNames(Map.of()));

    @Test
    void roundTripKeepsValuesSharingAndReferences() {
        MapContext ctx = new MapContext();
        Person p = new Person();
        p.name = "Ada";
        p.born = 1815;
        p.tags.add("math");
        p.home = new Address("London", 1);
        p.work = p.home;
        Person friend = proxies.instantiate(Person.class, new Object[0]);
        p.friend = friend;
        p.readOnly = Collections.unmodifiableList(new ArrayList<>(List.of("a", "b")));
        byte[] record = codec.write(p, ctx);

        Person copy = new Person();
        copy.cached = null;
        codec.readInto(record, copy, ctx);
        assertEquals("Ada", copy.name);
        assertEquals(1815, copy.born);
        assertEquals(List.of("math"), copy.tags);
        assertNotSame(p.tags, copy.tags);
        assertEquals("London", copy.home.city);
        assertSame(copy.home, copy.work, "shared values stay shared (references on)");
        assertSame(friend, copy.friend, "a persistent object is written as a reference");
        assertEquals(List.of("a", "b"), copy.readOnly);
        assertThrows(UnsupportedOperationException.class, () -> copy.readOnly.add("c"));
        assertNull(copy.cached, "transient fields are not stored");

        List<Long> refs = new ArrayList<>();
        ObjectRecordCodec.references(record, refs::add);
        assertTrue(refs.contains(ctx.oids.get(friend)), "the header lists referenced oids");
        assertArrayEquals(record, codec.write(copy, ctx), "same state, same bytes");
    }

    /**
     * Values of one class in a row name it once per record: each record still lists the class's registry
     * entry among its references, even when the record before ended with a value of the same class.
     */
    @Test
    void everyRecordListsTheEntriesOfTheClassesItsValuesName() {
        MapContext ctx = new MapContext();
        Holder mixed = new Holder();
        mixed.value = new ArrayList<>(List.of(new Address("Paris", 1), new Counts(), new Address("Rome", 2),
                new Address("Oslo", 3)));
        byte[] first = codec.write(mixed, ctx);
        Holder one = new Holder();
        one.value = new Address("Bern", 4);
        byte[] second = codec.write(one, ctx);

        long address = ctx.ids.get(codec.classEntry(Address.class));
        long counts = ctx.ids.get(codec.classEntry(Counts.class));
        List<Long> refs = new ArrayList<>();
        ObjectRecordCodec.references(first, refs::add);
        assertTrue(refs.contains(address) && refs.contains(counts), "both classes: " + refs);
        assertEquals(refs.size(), new java.util.HashSet<>(refs).size(), "each entry listed once: " + refs);
        refs.clear();
        ObjectRecordCodec.references(second, refs::add);
        assertTrue(refs.contains(address), "the second record names Address too: " + refs);

        Holder copy = new Holder();
        codec.readInto(first, copy, ctx);
        List<?> values = (List<?>) copy.value;
        assertEquals(List.of(Address.class, Counts.class, Address.class, Address.class),
                values.stream().map(Object::getClass).toList());
        assertEquals("Oslo", ((Address) values.get(3)).city);
        codec.readInto(second, copy, ctx);
        assertEquals("Bern", ((Address) copy.value).city);
    }

    @Test
    void recordWrittenBeforeAFieldWasAddedOrRemovedStillLoads() {
        MapContext ctx = new MapContext();
        Person p = new Person();
        p.name = "Grace";
        p.born = 1906;
        p.tags.add("navy");
        byte[] record = codec.write(p, ctx);
        PersonV2 v2 = new PersonV2();
        v2.email = "stale";
        codec.readInto(record, v2, ctx);
        assertEquals("Grace", v2.name);
        assertEquals(List.of("navy"), v2.tags);
        assertNull(v2.email, "a field the record lacks gets its default");
    }

    @Test
    void storedPrimitivesLoadIntoFieldsOfTheSameOrAnotherTypeAndUnfitValuesBecomeDefaults() {
        MapContext ctx = new MapContext();
        Counts c = new Counts();
        c.count = 5;
        c.small = 3;
        c.boxed = 9L;
        c.label = "x";
        c.ratio = 0.5;
        c.flag = true;
        c.letter = 'q';
        byte[] record = codec.write(c, ctx);

        Counts same = new Counts();
        codec.readInto(record, same, ctx);
        assertEquals(5, same.count);
        assertEquals(3, same.small);
        assertEquals(9L, same.boxed);
        assertEquals("x", same.label);
        assertEquals(0.5, same.ratio);
        assertTrue(same.flag);
        assertEquals('q', same.letter);

        CountsV2 changed = new CountsV2();
        codec.readInto(record, changed, ctx);
        assertEquals(5, changed.count, "long stored, int declared");
        assertEquals(3L, changed.small, "int stored, long declared");
        assertEquals(9L, changed.boxed, "Long stored, long declared");
        assertEquals(0, changed.label, "a String cannot go into an int: the field gets its default");
        assertEquals(0.5, changed.ratio);
        assertTrue(changed.flag);
        assertEquals('q', changed.letter);
    }

    @Test
    void jdkClassWithoutAccessibleFieldsIsRefusedNamingTheField() {
        MapContext ctx = new MapContext();
        Holder h = new Holder();
        h.value = new java.util.concurrent.locks.ReentrantLock();
        UnsupportedClassException e = assertThrows(UnsupportedClassException.class, () -> codec.write(h, ctx));
        assertTrue(e.getMessage().contains("Holder.value"), e.getMessage());
        assertTrue(e.getMessage().contains("java.util.concurrent.locks"), e.getMessage());
    }

    @Test
    void proxiedObjectStateRoundTripsIntoAGhostInstance() {
        MapContext ctx = new MapContext();
        Address a = proxies.instantiate(Address.class, new Object[] {"Paris", 75});
        byte[] record = codec.write(a, ctx);
        Class<?> type = codec.typeOf(record, ctx);
        assertSame(proxies.proxyClass(Address.class), type);
        Object ghost = codec.newInstance(type);
        assertTrue(ghost instanceof PersistentObject);
        codec.readInto(record, ghost, ctx);
        assertEquals("Paris", ((Address) ghost).city);
        assertEquals(75, ((Address) ghost).zip);
    }

    private ObjectRecordCodec renaming(Class<?> from, Class<?> to) {
        return new ObjectRecordCodec(proxies, new ClassNames(Map.of(from.getName(), to.getName())));
    }

    @Test
    void enumsAreStoredByNameSoReorderingConstantsKeepsOldRecordsRight() {
        MapContext ctx = new MapContext();
        Holder h = new Holder();
        h.value = new ArrayList<>(List.of(ColorV1.GREEN, ColorV1.BLUE, ColorV1.GREEN,
                java.util.EnumSet.of(ColorV1.RED, ColorV1.BLUE)));
        byte[] record = codec.write(h, ctx);

        Holder same = new Holder();
        codec.readInto(record, same, ctx);
        assertEquals(h.value, same.value);

        Holder reordered = new Holder();
        renaming(ColorV1.class, ColorV2.class).readInto(record, reordered, ctx);
        assertEquals(List.of(ColorV2.GREEN, ColorV2.BLUE, ColorV2.GREEN,
                java.util.EnumSet.of(ColorV2.RED, ColorV2.BLUE)), reordered.value,
                "by name: BLUE (ordinal 2, now 0) and RED (0, now 2) load as themselves");
    }

    @Test
    void aStoredEnumConstantThatNoLongerExistsFailsNamingTheEnumAndTheConstant() {
        MapContext ctx = new MapContext();
        Holder h = new Holder();
        h.value = ColorV1.GREEN;
        byte[] record = codec.write(h, ctx);
        UnsupportedClassException e = assertThrows(UnsupportedClassException.class,
                () -> renaming(ColorV1.class, ColorV3.class).readInto(record, new Holder(), ctx));
        assertTrue(e.getMessage().contains("constant GREEN of enum " + ColorV3.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("RED, BLUE"), e.getMessage());

        h.value = ColorV1.BLUE;
        Holder loaded = new Holder();
        renaming(ColorV1.class, ColorV3.class).readInto(codec.write(h, ctx), loaded, ctx);
        assertSame(ColorV3.BLUE, loaded.value, "ordinal 2 would not even exist in ColorV3");
    }

    /**
     * One large record must not leave its buffers with the thread for good (each thread keeps its own Kryo
     * instance): after it, what the thread keeps is small again, and small records reuse what is kept.
     */
    @Test
    void aLargeRecordDoesNotLeaveItsBuffersWithTheThread() {
        MapContext ctx = new MapContext();
        Holder small = new Holder();
        small.value = "small";
        codec.write(small, ctx);
        long kept = codec.retainedWriteBytes();
        assertTrue(kept < 64 << 10, "a small record keeps small buffers: " + kept);

        Holder large = new Holder();
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 400_000; i++) {
            many.add(proxies.instantiate(Person.class, new Object[0])); // a reference each: a header of over 1 MiB
        }
        large.value = new Object[] {new byte[8 << 20], many};
        byte[] record = codec.write(large, ctx);
        assertTrue(record.length > 8 << 20);
        assertTrue(codec.retainedWriteBytes() < 64 << 10,
                "after an 8 MiB record the thread keeps " + codec.retainedWriteBytes() + " bytes");

        codec.write(small, ctx);
        assertEquals(kept, codec.retainedWriteBytes(), "back to what a small record keeps");
        Holder loaded = new Holder();
        codec.readInto(record, loaded, ctx);
        assertEquals(8 << 20, ((byte[]) ((Object[]) loaded.value)[0]).length, "the large record reads back");
    }
}
