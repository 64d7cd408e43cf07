package org.jodb.internal.object;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jodb.internal.serialization.LazyMapValues;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.RecordContext;

/**
 * Turns the objects that an abort or a rollback undoes (those that got their oid after the point undone) back
 * into plain objects: each keeps its latest state, leaves the connection's cache, and has no object state
 * any more, so the application can keep using it, or store it again as a new object.
 *
 * <p>Why two passes: a ghost among them reads its newest record (from the savepoints' records) to get that
 * state, and its references must resolve to the instances being disowned. Were one of those already out of
 * the cache, the reference would make a new ghost of an oid about to have no record, attached to the
 * connection: reading it would fail, and storing the disowned object again would store a reference to
 * nothing. So {@link #all} first gives every one of them its latest state while all are still cached, then
 * removes them all. A ghost made meanwhile for an oid of the transaction (its instance had been collected)
 * joins the work ({@link #ghostMade}), so each is prepared once: the work is linear in what is disowned.
 *
 * <p>Used by the connection's thread, through its {@link ChangeTracker}.
 */
final class Disowning {
    private final ObjectCache cache;
    private final ObjectRecordCodec codec;
    private final RecordContext records;
    private final SavepointStates writes;
    /** While {@link #all} prepares: where new ghosts of oids of the transaction go; null otherwise. */
    private ArrayDeque<ObjectState> ghostsMade;

    Disowning(ObjectCache cache, ObjectRecordCodec codec, RecordContext records, SavepointStates writes) {
        this.cache = cache;
        this.codec = codec;
        this.records = records;
        this.writes = writes;
    }

    /**
     * Disowns the instance of every oid in {@code created} (the oids assigned in the transaction) and not in
     * {@code kept} (null keeps none). Call it before the savepoints' records are rolled back: a ghost reads its
     * newest one.
     */
    void all(LongLongTable created, LongLongTable kept) {
        ArrayDeque<ObjectState> work = new ArrayDeque<>();
        created.forEach((oid, unused) -> {
            ObjectState s = ChangeTracker.stateOf(cache.get(oid));
            if (s != null) {
                work.add(s);
            }
        });
        List<ObjectState> disowned = new ArrayList<>();
        LongLongTable prepared = new LongLongTable();
        ghostsMade = work;
        try {
            for (ObjectState s; (s = work.poll()) != null; ) {
                boolean keep = kept != null && kept.containsKey(s.oid);
                if (!keep && s.self.$jodbState() == s && !prepared.containsKey(s.oid)) {
                    prepared.put(s.oid, 0);
                    latestState(s);
                    disowned.add(s);
                }
            }
        } finally {
            ghostsMade = null;
        }
        for (ObjectState s : disowned) {
            release(s);
        }
    }

    /** A ghost was made for {@code s.oid}: while {@link #all} runs, one of the transaction joins its work. */
    void ghostMade(ObjectState s) {
        if (ghostsMade != null && s.created) {
            ghostsMade.add(s);
        }
    }

    /** Gives an object about to be disowned its latest state, made of this connection's instances. */
    private void latestState(ObjectState s) {
        if (s.status == ObjectStatus.GHOST && writes.contains(s.oid)) {
            // ghosted after a savepoint: give the application back the object's latest state
            codec.readInto(writes.get(s.oid), s.self, records);
        }
        if (s.self instanceof LazyMapValues lazy) {
            lazy.resolveLazyValues(); // a disowned chunk has no connection left to resolve its values later
        }
    }

    private void release(ObjectState s) {
        cache.remove(s);
        s.self.$jodbState(null);
    }
}
