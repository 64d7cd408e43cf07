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

    ObjectCache(int target) {
        setTarget(target);
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
        recent.remove(oid);
    }

    /** The object was loaded or used: keep it strongly, as the most recently used. */
    void used(ObjectState state) {
        if (recent.get(state.oid) == null) {
            recent.put(state.oid, state);
        }
    }

    /** The object became a ghost: hold it weakly only. */
    void ghosted(ObjectState state) {
        recent.remove(state.oid);
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
     * Ghosts least recently used clean objects until at most {@code target} loaded objects remain.
     *
     * @param ghost turns one clean object into a ghost (clears its fields, sets its status)
     */
    void gc(Consumer<ObjectState> ghost) {
        purge();
        int excess = recent.size() - target;
        if (excess <= 0) {
            return;
        }
        List<ObjectState> victims = new ArrayList<>();
        for (Iterator<ObjectState> it = recent.values().iterator(); it.hasNext() && victims.size() < excess; ) {
            ObjectState s = it.next();
            if (s.status == ObjectStatus.CLEAN) {
                victims.add(s);
            }
        }
        for (ObjectState s : victims) {
            ghost.accept(s);
            recent.remove(s.oid);
        }
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
