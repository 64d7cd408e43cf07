package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jodb.spi.Revision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The record cache against a model of the committed history: commits made in tid order, each heard by the
 * "listener" in order (sometimes with its records, sometimes with its oids only, sometimes by its tid alone)
 * and by its "committing thread" at a random later moment; loads at random snapshots offered with the
 * revision the server would return. At every step, whatever the cache serves at any snapshot is exactly the
 * newest revision at or before it.
 */
class RecordCacheModelTest {
    private static final int OIDS = 40;

    /** The committed history: for each oid, its revisions by tid. */
    private final Map<Long, TreeMap<Long, byte[]>> history = new HashMap<>();

    private record Commit(long tid, long previous, long[] oids, byte[][] records) {
    }

    private Revision newest(long oid, long snapshot) {
        TreeMap<Long, byte[]> revisions = history.get(oid);
        Map.Entry<Long, byte[]> e = revisions == null ? null : revisions.floorEntry(snapshot);
        return e == null ? null : new Revision(oid, e.getKey(), e.getValue());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void whatTheCacheServesIsAlwaysTheNewestRevisionAtTheSnapshot(long seed) {
        Random random = new Random(seed);
        RecordCache cache = new RecordCache(random.nextBoolean() ? 1 << 20 : 20 * (RecordCache.ENTRY_OVERHEAD + 8));
        List<Commit> heardByListener = new ArrayList<>();
        List<Commit> heardByThreads = new ArrayList<>();
        long last = 100;
        int served = 0;
        for (int step = 0; step < 3_000; step++) {
            int what = random.nextInt(10);
            if (what < 3) { // a commit
                long tid = last + 1 + random.nextInt(3);
                int n = 1 + random.nextInt(4);
                long[] oids = random.longs(n, 1, OIDS + 1).distinct().toArray();
                byte[][] records = new byte[oids.length][];
                for (int i = 0; i < oids.length; i++) {
                    records[i] = new byte[] {(byte) step, (byte) (step >> 8), (byte) i};
                    history.computeIfAbsent(oids[i], k -> new TreeMap<>()).put(tid, records[i]);
                }
                Commit c = new Commit(tid, last, oids, records);
                last = tid;
                heardByListener.add(c);
                if (random.nextInt(3) == 0) {
                    heardByThreads.add(c); // one of this process's own commits
                }
            } else if (what < 6 && !heardByListener.isEmpty()) { // the listener hears the oldest
                Commit c = heardByListener.remove(0);
                int form = random.nextInt(10);
                if (form == 0) {
                    cache.unknown(c.tid);
                } else if (form < 3) {
                    cache.committed(c.tid, c.previous, c.oids, null);
                } else {
                    cache.committed(c.tid, c.previous, c.oids, c.records);
                }
            } else if (what < 7 && !heardByThreads.isEmpty()) { // a committing thread records its own, any order
                Commit c = heardByThreads.remove(random.nextInt(heardByThreads.size()));
                cache.committed(c.tid, c.previous, c.oids, c.records);
            } else if (what < 9) { // a load at a snapshot the process may use, offered
                long snapshot = (random.nextBoolean() ? last : cache.through()) - random.nextInt(6);
                long oid = 1 + random.nextInt(OIDS);
                Revision r = newest(oid, snapshot);
                if (r != null) {
                    cache.offer(r, snapshot);
                }
            } else if (random.nextInt(20) == 0) {
                cache.clear();
            }
            for (long oid = 1; oid <= OIDS; oid++) {
                long snapshot = (random.nextBoolean() ? last : cache.through()) - random.nextInt(8);
                Revision got = cache.get(oid, snapshot);
                if (got != null) {
                    Revision want = newest(oid, snapshot);
                    assertTrue(want != null, "oid " + oid + " served at " + snapshot + " before it existed");
                    assertEquals(want.tid(), got.tid(), "the revision of oid " + oid + " at " + snapshot);
                    assertArrayEquals(want.data(), got.data());
                    served++;
                }
            }
        }
        assertTrue(served > 1_000, "the cache served little, so this test proved little: " + served);
    }
}
