package org.jodb.storage.internal.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index of pages of oids: the allocation-free lookup gives what was put, one holder reused across oids,
 * pages and indexes; a transaction's entries go in page by page whatever their order; the count of oids, the
 * pages and the seal follow.
 */
class OidIndexTest {

    @TempDir
    Path dir;

    @Test
    void aReusedLookupReadsEachEntryAndReportsMissingOids() {
        try (OidIndex index = OidIndex.create(dir, 1, 16)) {
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
            assertFalse(index.get(100, lookup), "an empty slot of a page that exists");
            assertFalse(index.get(1_000, lookup), "a page that does not exist");
            assertNull(index.get(100));
            assertNull(index.get(1_000));
            assertEquals(100, index.size());
            assertEquals(2, index.pages());
            try (OidIndex bigger = index.copyTo(index.generation() + 1, 64)) {
                for (long oid = 0; oid < 100; oid++) {
                    assertTrue(bigger.get(oid, lookup));
                    assertEquals(oid == 7 ? Long.MAX_VALUE : 1_000_000 + oid, lookup.tid(), "copied oid " + oid);
                }
                assertEquals(100, bigger.size());
                assertEquals(64, bigger.capacity());
            }
        }
    }

    /** Oids out of order and spread over pages: each lands in its slot, and the count counts new oids only. */
    @Test
    void aTransactionsEntriesGoInWhateverTheirOrder() {
        long[] oids = {700, 3, 64, 63, 5_000_000, 65, 2};
        long[] positions = new long[oids.length];
        Map<Long, Long> expected = new TreeMap<>();
        for (int i = 0; i < oids.length; i++) {
            positions[i] = (1L << 32) | (100 + i);
            expected.put(oids[i], positions[i]);
        }
        try (OidIndex index = OidIndex.create(dir, 1, 16)) {
            index.putAll(oids, positions, oids.length, 9);
            assertEquals(7, index.size());
            assertEquals(4, index.pages(), "pages 0, 1, 10 and 78,125");
            index.putAll(new long[]{3, 64, 66}, new long[]{11, 12, 13}, 2, 10); // only the first two count
            expected.put(3L, 11L);
            expected.put(64L, 12L);
            assertEquals(7, index.size(), "updates add no oid");
            Map<Long, Long> found = new TreeMap<>();
            index.forEach((oid, position, tid) -> {
                found.put(oid, position);
                assertEquals(oid == 3 || oid == 64 ? 10 : 9, tid, "tid of oid " + oid);
            });
            assertEquals(expected, found);
            assertNull(index.get(66), "past n: not put");
        }
    }

    /** A large transaction out of order (sorted another way than a small one) lands in its slots too. */
    @Test
    void aLargeTransactionOutOfOrderGoesIn() {
        int n = 300;
        long[] oids = new long[n];
        long[] positions = new long[n];
        for (int i = 0; i < n; i++) {
            oids[i] = (i * 7919L) % 1_000; // scattered over 16 pages, each page met many times
            positions[i] = 1_000 + oids[i];
        }
        try (OidIndex index = OidIndex.create(dir, 1, 16)) {
            index.putAll(oids, positions, n, 3);
            assertEquals(n, index.size());
            OidIndex.Lookup lookup = new OidIndex.Lookup();
            for (long oid : oids) {
                assertTrue(index.get(oid, lookup));
                assertEquals(1_000 + oid, lookup.position(), "oid " + oid);
            }
        }
    }

    /** A lookup's copy of a page is not reused after a write: the next lookup sees what was put. */
    @Test
    void aWriteAfterACopyIsSeenByTheNextLookupOfTheSamePage() {
        try (OidIndex index = OidIndex.create(dir, 1, 16)) {
            index.put(10, 100, 1);
            OidIndex.Lookup lookup = new OidIndex.Lookup();
            assertTrue(index.get(10, lookup));
            assertFalse(index.get(11, lookup));
            index.put(11, 200, 2);
            assertTrue(index.get(11, lookup));
            assertEquals(200, lookup.position());
            index.put(10, 300, 3);
            assertTrue(index.get(10, lookup));
            assertEquals(300, lookup.position());
            IndexSurgery.lose(index, 10);
            assertFalse(index.get(10, lookup));
            assertEquals(1, index.size());
        }
    }

    /** The seal carries the log's end, the last tid and the count of oids to the next open. */
    @Test
    void theSealCarriesTheCountOfOids() throws Exception {
        IndexFingerprint fingerprint;
        try (OidIndex index = OidIndex.create(dir, 1, 16)) {
            index.putAll(new long[]{1, 2, 3, 200}, new long[]{10, 20, 30, 40}, 4, 5);
            index.seal(1L << 32 | 640, 5);
            long span = index.headerSpan();
            index.close();
            fingerprint = index.fingerprint(span);
        }
        try (OidIndex index = OidIndex.open(dir, 1, 16, fingerprint, MemoryPages.MAX_SLOTS)) {
            assertThrows(IndexDamagedException.class, () -> index.unseal(1L << 32 | 640, 6), "another tid");
        }
        try (OidIndex index = OidIndex.open(dir, 1, 16, fingerprint, MemoryPages.MAX_SLOTS)) {
            index.unseal(1L << 32 | 640, 5);
            assertEquals(4, index.size());
            assertEquals(2, index.pages(), "the seal is gone");
            assertEquals(40, index.get(200).position());
        }
    }

    @Test
    void pagesSpannedCountsRunsOfOnePage() {
        assertEquals(0, OidIndex.pagesSpanned(new long[]{1}, 0));
        assertEquals(1, OidIndex.pagesSpanned(new long[]{0, 1, 63}, 3));
        assertEquals(2, OidIndex.pagesSpanned(new long[]{63, 64, 127}, 3));
        assertEquals(3, OidIndex.pagesSpanned(new long[]{1, 64, 2}, 3), "an upper bound when pages interleave");
        assertEquals(16, OidIndex.pagesFor(1_000));
        assertEquals(1, OidIndex.pagesFor(64));
    }
}
