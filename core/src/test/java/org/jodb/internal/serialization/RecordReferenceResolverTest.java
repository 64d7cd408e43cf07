package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RecordReferenceResolver} numbers objects by identity within one record and forgets them at reset. */
class RecordReferenceResolverTest {

    @Test
    void numbersObjectsByIdentityAcrossGrowthAndForgetsThemAtReset() {
        RecordReferenceResolver resolver = new RecordReferenceResolver();
        for (int size : new int[] {3, 1_000, 20_000, 10}) { // grows past the kept size, then shrinks again
            List<Object> objects = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                Object o = new String("value " + (i % 7)); // equal, not identical: each gets its own id
                assertEquals(-1, resolver.getWrittenId(o));
                assertEquals(i, resolver.addWrittenObject(o));
                objects.add(o);
            }
            for (int i = 0; i < size; i++) {
                assertEquals(i, resolver.getWrittenId(objects.get(i)));
            }
            resolver.reset();
            for (Object o : objects) {
                assertEquals(-1, resolver.getWrittenId(o), "a reset record knows no object");
            }
        }
    }
}
