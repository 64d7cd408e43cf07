package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which keys have a hash that is the same in every JVM, and that equal keys get equal hashes. */
class StableHashTest {

    record Point(int x, String label) {
    }

    record Named(String name) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Named n && n.name.equalsIgnoreCase(name);
        }

        @Override
        public int hashCode() {
            return name.toLowerCase().hashCode();
        }
    }

    record Holder(Object inside) {
    }

    static final class Plain {
        final int id;

        Plain(int id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Plain p && p.id == id;
        }

        @Override
        public int hashCode() {
            return Objects.hash(id);
        }
    }

    @Test
    void valuesWithASpecifiedHashCodeKeepIt() {
        assertEquals("key-1".hashCode(), StableHash.of("key-1"));
        assertEquals(Long.hashCode(1L << 40), StableHash.of(1L << 40));
        assertEquals(new BigDecimal("1.50").hashCode(), StableHash.of(new BigDecimal("1.50")));
        UUID id = new UUID(1, 2);
        assertEquals(id.hashCode(), StableHash.of(id));
        assertEquals(LocalDate.of(2030, 1, 2).hashCode(), StableHash.of(LocalDate.of(2030, 1, 2)));
        assertEquals(0, StableHash.of(null));
    }

    @Test
    void anEnumHashesItsClassAndConstantNamesNotItsIdentity() {
        assertEquals(31 * "java.time.DayOfWeek".hashCode() + "MONDAY".hashCode(), StableHash.of(DayOfWeek.MONDAY));
        assertNotEquals(StableHash.of(DayOfWeek.MONDAY), StableHash.of(DayOfWeek.TUESDAY));
    }

    @Test
    void recordsAndJdkListsCombineTheirPartsAndEqualOnesAgree() {
        assertEquals(StableHash.of(new Point(1, "a")), StableHash.of(new Point(1, "a")));
        assertNotEquals(StableHash.of(new Point(1, "a")), StableHash.of(new Point(2, "a")));
        long list = StableHash.of(List.of("a", 1, LocalDate.of(2030, 1, 2)));
        assertEquals(list, StableHash.of(new ArrayList<>(List.of("a", 1, LocalDate.of(2030, 1, 2)))));
        assertEquals(list, StableHash.of(new LinkedList<>(List.of("a", 1, LocalDate.of(2030, 1, 2)))));
        assertEquals(List.of("a", "b").hashCode(), StableHash.of(List.of("a", "b")), "the List contract's");
        assertEquals(StableHash.of(new Holder(List.of(DayOfWeek.FRIDAY))),
                StableHash.of(new Holder(List.of(DayOfWeek.FRIDAY))));
    }

    @Test
    void keysWhoseHashMayChangeHaveNone() {
        assertEquals(StableHash.NONE, StableHash.of(new Plain(1)), "a class of its own");
        assertEquals(StableHash.NONE, StableHash.of(new Named("a")), "a record with its own equality");
        assertEquals(StableHash.NONE, StableHash.of(new HashSet<>(List.of(1))), "a set");
        assertEquals(StableHash.NONE, StableHash.of(new Object()), "identity");
        assertEquals(StableHash.NONE, StableHash.of(List.of("a", new Plain(1))), "a list holding such");
        assertEquals(StableHash.NONE, StableHash.of(new Holder(new Plain(1))), "a record holding such");
    }
}
