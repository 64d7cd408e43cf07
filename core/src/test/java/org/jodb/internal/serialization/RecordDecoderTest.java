package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.PersistentMap;
import org.jodb.internal.object.PersistentObject;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.transaction.Transactions;
import org.junit.jupiter.api.Test;

/** RecordDecoder reads what ObjectRecordCodec writes, field by field, into generic values. */
class RecordDecoderTest {

    public enum Colour { RED, BLUE }

    public static class Point {
        private int x;
        private int y;

        public Point(int x, int y) {
            this.x = x;
            this.y = y;
        }
    }

    public static class Owner {
        private String name = "ann";
    }

    public static class Thing {
        private String text = "hi \"you\"";
        private int count = -3;
        private long big = 1L << 40;
        private double ratio = 0.5;
        private boolean flag = true;
        private char letter = 'z';
        private BigDecimal price = new BigDecimal("12.50");
        private LocalDate day = LocalDate.of(2026, 12, 7);
        private Colour colour = Colour.BLUE;
        private Point at = new Point(3, 4);
        private List<String> words = new ArrayList<>(List.of("a", "b"));
        private List<String> sameWords = words;
        private Map<String, Integer> counts = new LinkedHashMap<>(Map.of("k", 1));
        private Object nothing;
        private Owner owner;

        public void own(Owner o) {
            owner = o;
        }
    }

    @Test
    void readsEveryKindOfFieldWithoutTheDecoderKnowingTheClasses() {
        try (Database db = Database.inMemory()) {
            Connection conn = db.open();
            PersistentMap<String, Object> root = conn.root();
            Thing thing = conn.create(Thing.class);
            Owner owner = conn.create(Owner.class);
            thing.own(owner);
            root.put("thing", thing);
            Transactions.commit();
            Storage storage = db.storage();
            RecordDecoder decoder = new RecordDecoder(id -> {
                Revision r = storage.load(id);
                return r != null && ObjectRecordCodec.isEntryRecord(r.data()) ? ObjectRecordCodec.entryOf(r.data()) : null;
            }, PersistentObject.class);
            long oid = Persistence.oid(thing).getAsLong();
            byte[] record = storage.load(oid).data();

            String classEntry = ObjectRecordCodec.entryOf(storage.load(RecordDecoder.classEntryId(record)).data());
            assertEquals("P:" + Thing.class.getName(), classEntry);
            assertEquals(Thing.class.getName(), RecordDecoder.className(classEntry));
            RecordDecoder.StoredObject o = decoder.read(record);
            assertEquals(Thing.class.getName(), o.className);
            assertEquals(List.of("text", "count", "big", "ratio", "flag", "letter", "price", "day", "colour", "at",
                    "words", "sameWords", "counts", "nothing", "owner"), o.names);
            assertEquals("hi \"you\"", o.values.get(0));
            assertEquals(-3, o.values.get(1));
            assertEquals(1L << 40, o.values.get(2));
            assertEquals(0.5, o.values.get(3));
            assertEquals(true, o.values.get(4));
            assertEquals('z', o.values.get(5));
            assertEquals(new BigDecimal("12.50"), o.values.get(6));
            assertEquals(LocalDate.of(2026, 12, 7), o.values.get(7));
            assertEquals(Colour.BLUE, o.values.get(8)); // on the class path here: the enum itself
            RecordDecoder.StoredObject at = (RecordDecoder.StoredObject) o.values.get(9);
            assertEquals(Point.class.getName(), at.className);
            assertEquals(List.of("x", "y"), at.names);
            assertEquals(List.of(3, 4), at.values);
            assertEquals(List.of("a", "b"), o.values.get(10));
            assertSame(o.values.get(10), o.values.get(11), "a value shared in the object stays shared");
            assertEquals(Map.of("k", 1), o.values.get(12));
            assertNull(o.values.get(13));
            assertEquals(new RecordDecoder.Reference(Owner.class.getName(), Persistence.oid(owner).getAsLong()),
                    o.values.get(14));
            assertNull(o.unread);
            assertEquals(-1, RecordDecoder.classEntryId(ObjectRecordCodec.entryRecord("C:x")));
            assertThrows(IllegalArgumentException.class, () -> decoder.read(ObjectRecordCodec.entryRecord("C:x")));
            Transactions.abort();
        }
    }
}
