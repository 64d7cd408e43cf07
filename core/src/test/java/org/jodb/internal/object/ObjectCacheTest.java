package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    /** A piece of a container, as a tree's bucket or a large map's chunk is. */
    private static final class Piece implements PersistentObject, ContainerPart {
        private ObjectState state;

        @Override
        public ObjectState $jodbState() {
            return state;
        }

        @Override
        public void $jodbState(ObjectState s) {
            state = s;
        }

        @Override
        public String $jodbContainerName() {
            return "a test container";
        }
    }

    private static ObjectState thing(long oid, ObjectStatus status) {
        Thing t = new Thing();
        ObjectState s = new ObjectState(t, null, status);
        s.oid = oid;
        t.$jodbState(s);
        return s;
    }

    private static ObjectState piece(long oid, ObjectStatus status) {
        Piece p = new Piece();
        ObjectState s = new ObjectState(p, null, status);
        s.oid = oid;
        p.$jodbState(s);
        return s;
    }

    /** Puts each state in the cache and uses it, in order: the first is the least recently used. */
    private static void useInOrder(ObjectCache cache, ObjectState... states) {
        for (ObjectState s : states) {
            cache.put(s);
            cache.used(s);
        }
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
            long oid = random.nextInt(10) == 0 ? random.nextLong() & Long.MAX_VALUE : random.nextInt(5_000);
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
        assertSame(null, cache.get(Long.MIN_VALUE), "no oid is negative: a miss, whatever a free slot holds");
        assertThrows(IllegalArgumentException.class, () -> cache.put(thing(-5, ObjectStatus.CLEAN)));
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

    @Test
    void gcGhostsOtherObjectsBeforeContainerPiecesWithinTheirShare() {
        ObjectCache cache = new ObjectCache(4, 0);
        ObjectState p1 = piece(1, ObjectStatus.CLEAN);
        ObjectState p2 = piece(2, ObjectStatus.CLEAN);
        useInOrder(cache, p1, p2, thing(3, ObjectStatus.CLEAN), thing(4, ObjectStatus.CLEAN),
                thing(5, ObjectStatus.CLEAN), thing(6, ObjectStatus.CLEAN));
        assertEquals(2, cache.loadedParts());

        List<ObjectState> ghosted = new ArrayList<>();
        cache.gc(ghosted::add);
        assertEquals(List.of(3L, 4L), oids(ghosted), "the oldest other objects go, not the older pieces");
        assertEquals(List.of(5L, 6L, 1L, 2L), oids(cache.loaded()));
        assertEquals(2, cache.loadedParts());
    }

    @Test
    void piecesBeyondHalfTheTargetGoFirstOldestFirst() {
        ObjectCache cache = new ObjectCache(4, 0);
        useInOrder(cache, thing(1, ObjectStatus.CLEAN), piece(2, ObjectStatus.CLEAN), piece(3, ObjectStatus.CLEAN),
                piece(4, ObjectStatus.CLEAN), piece(5, ObjectStatus.CLEAN), thing(6, ObjectStatus.CLEAN),
                thing(7, ObjectStatus.CLEAN));

        List<ObjectState> ghosted = new ArrayList<>();
        cache.gc(ghosted::add);
        assertEquals(List.of(2L, 3L, 1L), oids(ghosted),
                "the two oldest pieces beyond a share of 2, then the oldest other object");
        assertEquals(4, cache.loadedCount());
        assertEquals(2, cache.loadedParts());
    }

    @Test
    void piecesGoWithinTheirShareWhenNothingElseCan() {
        ObjectCache cache = new ObjectCache(2, 0);
        useInOrder(cache, piece(1, ObjectStatus.CLEAN), thing(2, ObjectStatus.TOUCHED),
                thing(3, ObjectStatus.TOUCHED));

        List<ObjectState> ghosted = new ArrayList<>();
        cache.gc(ghosted::add);
        assertEquals(List.of(1L), oids(ghosted), "touched objects stay: the piece goes so that the target holds");
        assertEquals(0, cache.loadedParts());
    }

    @Test
    void theShareOfPiecesAlsoHoldsForTheByteTarget() {
        ObjectCache cache = new ObjectCache(100, 300);
        ObjectState other = thing(1, ObjectStatus.CLEAN);
        ObjectState p1 = piece(2, ObjectStatus.CLEAN);
        ObjectState p2 = piece(3, ObjectStatus.CLEAN);
        useInOrder(cache, other, p1, p2);
        cache.resized(other, 100);
        cache.resized(p1, 100);
        cache.resized(p2, 150);
        assertEquals(350, cache.loadedBytes());

        List<ObjectState> ghosted = new ArrayList<>();
        cache.gc(ghosted::add);
        assertEquals(List.of(2L), oids(ghosted), "250 bytes of pieces exceed half of 300: the oldest piece goes");
        assertEquals(250, cache.loadedBytes());
    }

    @Test
    void aPieceUsedAgainGetsASecondChanceInsteadOfGoing() {
        ObjectCache cache = new ObjectCache(2, 0);
        ObjectState p1 = piece(1, ObjectStatus.CLEAN);
        ObjectState p2 = piece(2, ObjectStatus.CLEAN);
        useInOrder(cache, p1, p2, thing(3, ObjectStatus.CLEAN));
        cache.used(p1); // marked, not moved: the list still starts with it
        assertEquals(List.of(3L, 1L, 2L), oids(cache.loaded()));

        List<ObjectState> ghosted = new ArrayList<>();
        cache.gc(ghosted::add);
        assertEquals(List.of(2L), oids(ghosted), "the piece used again goes last; the next oldest goes");
        assertEquals(List.of(3L, 1L), oids(cache.loaded()));

        useInOrder(cache, p2, piece(4, ObjectStatus.CLEAN));
        ghosted.clear();
        cache.gc(ghosted::add);
        assertEquals(List.of(1L, 2L), oids(ghosted), "its mark was spent: it is the oldest piece again");
    }
}
