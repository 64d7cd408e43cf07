package org.jodb.object;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One connection's objects by oid (ZODB's {@code PickleCache}).
 *
 * <p>Two targets bound the loaded objects (ZODB-SEMANTICS 42): a number of objects, and optionally a
 * number of bytes, estimated as the sum of the loaded objects' record sizes ({@link ObjectState#estimatedSize});
 * gc ghosts until both hold.
 *
 * <p>Invariants: (1) at most one instance per oid: every instance handed out is in {@link #byOid} until
 * it is garbage or disowned; (2) ghosts are held weakly, so a ghost nobody references is collected; (3)
 * loaded objects are held strongly in {@link #recent}, least recently used first, and {@link #gc} turns
 * the oldest clean ones back into ghosts until at most {@code target} remain; touched objects are never
 * ghosted by gc (ZODB-SEMANTICS 42). Not thread-safe: used by the connection's thread.
 */
final class ObjectCache {
    private final Map<Long, Entry> byOid = new HashMap<>();
    private final ReferenceQueue<PersistentObject> collected = new ReferenceQueue<>();
    /** Loaded (non-ghost) objects, least recently used first; strong references. */
    private final LinkedHashMap<Long, ObjectState> recent = new LinkedHashMap<>(64, 0.75f, true);
    /** The number of loaded objects gc keeps; at least 0. */
    private int target;
    /** The estimated bytes of loaded objects gc keeps; 0 for no byte target. */
    private long targetBytes;
    /** The sum of {@link ObjectState#estimatedSize} over {@link #recent}, in bytes. */
    private long loadedBytes;

    ObjectCache(int target, long targetBytes) {
        setTarget(target);
        setTargetBytes(targetBytes);
    }

    void setTargetBytes(long targetBytes) {
        if (targetBytes < 0) {
            throw new IllegalArgumentException("cache size in bytes < 0: " + targetBytes);
        }
        this.targetBytes = targetBytes;
    }

    /** The estimated bytes of the loaded objects: the sum of their record sizes. */
    long loadedBytes() {
        return loadedBytes;
    }

    /** The object's record size changed (loaded or saved): keeps {@link #loadedBytes} right. */
    void resized(ObjectState state, int size) {
        if (recent.containsKey(state.oid)) {
            loadedBytes += size - state.estimatedSize;
        }
        state.estimatedSize = size;
    }

    void setTarget(int target) {
        if (target < 0) {
            throw new IllegalArgumentException("cache size < 0: " + target);
        }
        this.target = target;
    }

    int target() {
        return target;
    }

    /** The instance for {@code oid}, or null. */
    PersistentObject get(long oid) {
        Entry e = byOid.get(oid);
        return e == null ? null : e.get();
    }

    void put(ObjectState state) {
        purge();
        byOid.put(state.oid, new Entry(state.self, state.oid, collected));
    }

    void remove(long oid) {
        byOid.remove(oid);
        unload(oid);
    }

    /** The object was loaded or used: keep it strongly, as the most recently used. */
    void used(ObjectState state) {
        if (recent.get(state.oid) == null) {
            recent.put(state.oid, state);
            loadedBytes += state.estimatedSize;
        }
    }

    /** The object became a ghost: hold it weakly only. */
    void ghosted(ObjectState state) {
        unload(state.oid);
    }

    private void unload(long oid) {
        ObjectState s = recent.remove(oid);
        if (s != null) {
            loadedBytes -= s.estimatedSize;
        }
    }

    /** Number of loaded objects held. */
    int loadedCount() {
        return recent.size();
    }

    /** Number of instances known (ghosts included, collected ones not yet purged included). */
    int size() {
        purge();
        return byOid.size();
    }

    /**
     * Ghosts least recently used clean objects until at most {@code target} loaded objects remain and,
     * with a byte target, their estimated bytes are at most {@code targetBytes}.
     *
     * @param ghost turns one clean object into a ghost (clears its fields, sets its status)
     */
    void gc(Consumer<ObjectState> ghost) {
        purge();
        int count = recent.size();
        long bytes = loadedBytes;
        if (!over(count, bytes)) {
            return;
        }
        List<ObjectState> victims = new ArrayList<>();
        for (Iterator<ObjectState> it = recent.values().iterator(); it.hasNext() && over(count, bytes); ) {
            ObjectState s = it.next();
            if (s.status == ObjectStatus.CLEAN) {
                victims.add(s);
                count--;
                bytes -= s.estimatedSize;
            }
        }
        for (ObjectState s : victims) {
            ghost.accept(s);
            unload(s.oid);
        }
    }

    private boolean over(int count, long bytes) {
        return count > target || (targetBytes > 0 && bytes > targetBytes);
    }

    /** Every loaded object (a copy). */
    List<ObjectState> loaded() {
        return new ArrayList<>(recent.values());
    }

    /** Every live instance (a copy), ghosts included. */
    List<PersistentObject> all() {
        purge();
        List<PersistentObject> out = new ArrayList<>(byOid.size());
        for (Entry e : byOid.values()) {
            PersistentObject p = e.get();
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    private void purge() {
        for (Object ref; (ref = collected.poll()) != null; ) {
            Entry e = (Entry) ref;
            if (byOid.get(e.oid) == e) {
                byOid.remove(e.oid);
            }
        }
    }

    private static final class Entry extends WeakReference<PersistentObject> {
        final long oid;

        Entry(PersistentObject referent, long oid, ReferenceQueue<PersistentObject> queue) {
            super(referent, queue);
            this.oid = oid;
        }
    }
}
