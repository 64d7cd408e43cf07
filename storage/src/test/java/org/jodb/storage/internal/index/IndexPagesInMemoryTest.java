package org.jodb.storage.internal.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index's pages in memory (FORMAT.md 3.7): written pages stay on the heap until their slot is needed, a copy
 * or a seal, and more pages than slots go back to Chronicle Map and are found there again; a reader racing the
 * writer never sees an entry older than the last write that completed before it looked, nor half of a write; a
 * walk sees every oid the index held when it began, whether its page was in memory, in the map or moving between
 * them.
 */
class IndexPagesInMemoryTest {

    /** Pages written in each test: far more than {@link #SLOTS}, so the writer writes pages back. */
    private static final int PAGES = 300;
    private static final int SLOTS = 64;

    @TempDir
    Path dir;

    /** Oid {@code i} of the test's spread: one per page, so each write is of another page. */
    private static long oid(int i) {
        return (long) i * OidPage.OIDS + i % OidPage.OIDS;
    }

    @Test
    void morePagesThanSlotsAreWrittenBackFoundAgainAndCopied() {
        try (OidIndex index = OidIndex.create(dir, 1, 8_192, SLOTS)) {
            for (int i = 0; i < PAGES; i++) {
                index.put(oid(i), 100 + i, 1);
            }
            assertEquals(PAGES, index.pages(), "pages written back and pages only in memory both count");
            for (int round = 2; round <= 4; round++) {
                for (int i = PAGES - 1; i >= 0; i--) { // the other way round: every write meets another page
                    index.put(oid(i), 1_000 * round + i, round);
                }
            }
            OidIndex.Lookup lookup = new OidIndex.Lookup();
            for (int i = 0; i < PAGES; i++) {
                assertTrue(index.get(oid(i), lookup), "oid " + oid(i));
                assertEquals(4_000 + i, lookup.position(), "newest position of oid " + oid(i));
                assertEquals(4, lookup.tid());
            }
            assertEquals(PAGES, index.size());
            assertEquals(PAGES, index.pages());
            try (OidIndex copy = index.copyTo(2, 1_024)) {
                for (int i = 0; i < PAGES; i++) {
                    assertTrue(copy.get(oid(i), lookup), "copied oid " + oid(i));
                    assertEquals(4_000 + i, lookup.position(), "the copy holds pages that were only in memory");
                }
                assertEquals(PAGES, copy.pages());
            }
        }
    }

    /** A clean close seals a file that holds every page, those only in memory included. */
    @Test
    void aSealedIndexWithMorePagesThanSlotsOpensWhole() throws Exception {
        IndexFingerprint fingerprint;
        try (OidIndex index = OidIndex.create(dir, 1, 8_192, SLOTS)) {
            for (int round = 1; round <= 2; round++) {
                for (int i = 0; i < PAGES; i++) {
                    index.put(oid(i), 1_000 * round + i, round);
                }
            }
            index.seal(1L << 32 | 640, 2);
            long span = index.headerSpan();
            index.close();
            fingerprint = index.fingerprint(span);
        }
        try (OidIndex index = OidIndex.open(dir, 1, 8_192, fingerprint, SLOTS)) {
            index.unseal(1L << 32 | 640, 2);
            assertEquals(PAGES, index.size());
            assertEquals(PAGES, index.pages());
            for (int i = 0; i < PAGES; i++) {
                assertEquals(2_000 + i, index.get(oid(i)).position(), "oid " + oid(i));
            }
        }
    }

    /** A generation replaced lets its pages go, written back first: readers still asking it find the same. */
    @Test
    void aRetiredIndexLetsItsPagesGoAndStillAnswers() {
        try (OidIndex index = OidIndex.create(dir, 1, 8_192, SLOTS)) {
            for (int i = 0; i < PAGES; i++) {
                index.put(oid(i), 100 + i, 1);
            }
            index.put(oid(PAGES - 1), 7, 2); // the last page written is dirty in memory, not in the map
            assertEquals(SLOTS, index.pages.held(), "every slot holds a page");
            index.retire();
            assertEquals(0, index.pages.held());
            for (int i = 0; i < PAGES; i++) {
                assertEquals(i == PAGES - 1 ? 7 : 100 + i, index.get(oid(i)).position(), "oid " + oid(i));
            }
        }
    }

    @Test
    void aReaderNeverSeesAnEntryOlderThanTheLastCompletedWrite() throws Exception {
        try (OidIndex index = OidIndex.create(dir, 1, 8_192, SLOTS)) {
            AtomicLong completed = new AtomicLong();
            AtomicReference<String> stale = new AtomicReference<>();
            long[] oids = new long[PAGES];
            long[] positions = new long[PAGES];
            for (int i = 0; i < PAGES; i++) {
                oids[i] = oid(i);
            }
            Thread writer = new Thread(() -> {
                for (long tid = 1; tid <= 2_000; tid++) {
                    java.util.Arrays.fill(positions, tid);
                    index.putAll(oids, positions, PAGES, tid);
                    completed.set(tid);
                }
            });
            writer.start();
            Runnable reader = () -> {
                OidIndex.Lookup lookup = new OidIndex.Lookup();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (completed.get() < 2_000 && stale.get() == null && writer.isAlive()) {
                    long before = completed.get();
                    long oid = oids[random.nextInt(PAGES)];
                    if (before > 0 && (!index.get(oid, lookup) || lookup.tid() < before)) {
                        stale.set("oid " + oid + " read at tid " + (index.get(oid, lookup) ? lookup.tid() : 0)
                                + " after tid " + before + " completed");
                    } else if (before > 0 && lookup.position() != lookup.tid()) { // each write has position = tid
                        stale.set("oid " + oid + " read half of a write: position " + lookup.position() + ", tid "
                                + lookup.tid());
                    }
                }
            };
            Thread[] readers = {new Thread(reader), new Thread(reader)};
            for (Thread r : readers) {
                r.start();
            }
            writer.join();
            for (Thread r : readers) {
                r.join();
            }
            assertEquals(null, stale.get());
            assertEquals(2_000, completed.get(), "the writer completed");
        }
    }

    /** One page written over and over in memory while a reader reads it: each write sets position = tid. */
    @Test
    void aReaderNeverSeesHalfOfAWrite() throws Exception {
        try (OidIndex index = OidIndex.create(dir, 1, 16, SLOTS)) {
            long[] oids = new long[OidPage.OIDS];
            long[] positions = new long[OidPage.OIDS];
            for (int i = 0; i < oids.length; i++) {
                oids[i] = i;
            }
            AtomicReference<String> torn = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                for (long tid = 1; tid <= 300_000 && torn.get() == null; tid++) {
                    java.util.Arrays.fill(positions, tid);
                    index.putAll(oids, positions, oids.length, tid);
                }
            });
            writer.start();
            OidIndex.Lookup lookup = new OidIndex.Lookup();
            long reads = 0;
            while (writer.isAlive()) {
                long oid = reads++ & (OidPage.OIDS - 1);
                if (index.get(oid, lookup) && lookup.position() != lookup.tid()) {
                    torn.set("oid " + oid + ": position " + lookup.position() + ", tid " + lookup.tid());
                }
            }
            writer.join();
            assertEquals(null, torn.get());
        }
    }

    @Test
    void aWalkSeesEveryOidHeldWhenItBeganWhileTheWriterMovesPages() throws Exception {
        try (OidIndex index = OidIndex.create(dir, 1, 8_192, SLOTS)) {
            Set<Long> before = new HashSet<>();
            for (int i = 0; i < PAGES; i++) {
                index.put(oid(i), 10, 1);
                before.add(oid(i));
            }
            for (int walk = 0; walk < 20; walk++) {
                int base = PAGES + walk * PAGES;
                Thread writer = new Thread(() -> {
                    for (int i = 0; i < PAGES; i++) {
                        index.put(oid(i), 20, 2); // updates: pages move between memory and the map
                        index.put(oid(base + i), 30, 3); // new pages
                    }
                });
                writer.start();
                Set<Long> seen = new HashSet<>();
                index.forEach((oid, position, tid) -> seen.add(oid));
                writer.join();
                assertTrue(seen.containsAll(before), "walk " + walk + " missed "
                        + before.stream().filter(o -> !seen.contains(o)).limit(5).toList());
                for (int i = 0; i < PAGES; i++) {
                    before.add(oid(base + i));
                }
            }
        }
    }
}
