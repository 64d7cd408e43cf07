package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The oid table and the recency list of {@link ObjectCache}, checked against plain collections. */
class ObjectCacheTest {

    private static final class Thing implements PersistentObject {
        private ObjectState state;

        @Override
        public ObjectState $jodbState() {
            return state;
        }

        @Override
        public void $jodbState(ObjectState s) {
            state = s;
        }
    }

    private static ObjectState thing(long oid, ObjectStatus status) {
        Thing t = new Thing();
        ObjectState s = new ObjectState(t, null, status);
        s.oid = oid;
        t.$jodbState(s);
        return s;
    }

    private static List<Long> oids(List<ObjectState> states) {
        List<Long> out = new ArrayList<>();
        for (ObjectState s : states) {
            out.add(s.oid);
        }
        return out;
    }

    @Test
    void oidTableAgreesWithAHashMapUnderRandomPutsAndRemoves() {
        ObjectCache cache = new ObjectCache(1_000_000, 0);
        Map<Long, ObjectState> model = new HashMap<>();
        Random random = new Random(42);
        for (int step = 0; step < 200_000; step++) {
            // clustered oids (like the storage's) and a few far apart, to exercise probe runs and wrap-around
            long oid = random.nextInt(10) == 0 ? random.nextLong() : random.nextInt(5_000);
            if (random.nextInt(3) == 0) {
                ObjectState gone = model.remove(oid);
                if (gone != null) {
                    cache.remove(gone);
                }
            } else {
                ObjectState s = thing(oid, ObjectStatus.CLEAN);
                cache.put(s);
                model.put(oid, s);
            }
            if (step % 1000 == 0) {
                for (Map.Entry<Long, ObjectState> e : model.entrySet()) {
                    assertSame(e.getValue().self, cache.get(e.getKey()));
                }
            }
        }
        for (long oid = 0; oid < 5_000; oid++) {
            ObjectState s = model.get(oid);
            assertSame(s == null ? null : s.self, cache.get(oid));
        }
        assertEquals(model.size(), cache.size());
    }

    @Test
    void recencyListKeepsLeastRecentlyUsedFirstAndGcSparesTouchedObjects() {
        ObjectCache cache = new ObjectCache(1, 0);
        ObjectState a = thing(1, ObjectStatus.CLEAN);
        ObjectState b = thing(2, ObjectStatus.TOUCHED);
        ObjectState c = thing(3, ObjectStatus.CLEAN);
        for (ObjectState s : List.of(a, b, c)) {
            cache.put(s);
            cache.used(s);
        }
        cache.used(a);
        cache.used(a);
        assertEquals(List.of(2L, 3L, 1L), oids(cache.loaded()));
        assertEquals(3, cache.loadedCount());

        List<ObjectState> ghosted = new ArrayList<>();
        cache.gc(ghosted::add);
        assertEquals(List.of(3L, 1L), oids(ghosted), "the oldest clean objects go until the target holds");
        assertEquals(List.of(2L), oids(cache.loaded()), "a touched object is never ghosted by gc");

        cache.used(a);
        cache.ghosted(a);
        cache.ghosted(a);
        assertEquals(List.of(2L), oids(cache.loaded()));
        cache.remove(b);
        assertEquals(List.of(), oids(cache.loaded()));
        assertEquals(0, cache.loadedCount());
        assertNull(cache.get(2));
        assertSame(a.self, cache.get(1), "a ghost stays known by its oid");
    }

    @Test
    void loadedBytesFollowSizesOfLoadedObjectsOnly() {
        ObjectCache cache = new ObjectCache(10, 250);
        ObjectState a = thing(1, ObjectStatus.CLEAN);
        ObjectState b = thing(2, ObjectStatus.CLEAN);
        cache.put(a);
        cache.put(b);
        cache.resized(a, 100); // a ghost's size is remembered, not counted
        assertEquals(0, cache.loadedBytes());
        cache.used(a);
        cache.used(b);
        cache.resized(b, 200);
        assertEquals(300, cache.loadedBytes());

        List<ObjectState> ghosted = new ArrayList<>();
        cache.gc(ghosted::add);
        assertEquals(List.of(1L), oids(ghosted));
        assertEquals(200, cache.loadedBytes());
        cache.ghosted(b);
        assertEquals(0, cache.loadedBytes());
        assertEquals(100, a.estimatedSize());
    }
}
