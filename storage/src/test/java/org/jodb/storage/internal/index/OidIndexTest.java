package org.jodb.storage.internal.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The allocation-free lookup gives what {@code put} stored, one holder reused across oids and indexes. */
class OidIndexTest {

    @TempDir
    Path dir;

    @Test
    void aReusedLookupReadsEachEntryAndReportsMissingOids() {
        try (OidIndex index = OidIndex.create(dir, 1, 1_000)) {
            for (long oid = 0; oid < 100; oid++) {
                index.put(oid, (oid << 32) | 64 + oid, 1_000_000 + oid);
            }
            index.put(7, -1L, Long.MAX_VALUE); // every bit set in both halves: byte order matters
            OidIndex.Lookup lookup = new OidIndex.Lookup();
            for (long oid = 99; oid >= 0; oid--) {
                assertTrue(index.get(oid, lookup));
                long position = oid == 7 ? -1L : (oid << 32) | 64 + oid;
                long tid = oid == 7 ? Long.MAX_VALUE : 1_000_000 + oid;
                assertEquals(position, lookup.position(), "position of oid " + oid);
                assertEquals(tid, lookup.tid(), "tid of oid " + oid);
                assertEquals(position, index.get(oid).position(), "both lookups agree");
                assertEquals(tid, index.get(oid).tid());
            }
            assertFalse(index.get(100, lookup));
            try (OidIndex bigger = index.copyToNextGeneration(2_000)) {
                assertTrue(bigger.get(42, lookup));
                assertEquals(1_000_042, lookup.tid());
            }
        }
    }
}
