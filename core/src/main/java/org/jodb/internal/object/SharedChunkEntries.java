package org.jodb.internal.object;

import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The decoded entries of large-map chunks, shared by a database's connections: each revision of a chunk is
 * decoded once, by the first connection that loads it, and the others that load the same revision take the
 * same map instead of decoding the record again. Eight connections of one database that each look up keys all
 * over a map of 100,000 entries would otherwise each decode and keep all of its chunks (the bench's workload 5
 * spent more than half its time doing that and collecting what it made).
 *
 * <p>A shared map is never changed: {@link MapChunk} reads it while it holds it, and copies it into a map of
 * its own before its first change. Only maps whose keys and values are all immutable are shared (strings,
 * boxed numbers, references not yet resolved: see {@link MapChunk#shareable}), so that no connection ever
 * reaches another's objects through one. A revision is identified by its oid and its tid, which never name
 * two different records; records of the current transaction's savepoints are not revisions and are never
 * shared.
 *
 * <p>Direct-mapped by oid, each slot holding one revision weakly: a map stays here while some connection
 * holds it, and a chunk whose slot another took is decoded again by the next connection that loads it.
 * Thread-safe and lock-free: a slot is replaced whole.
 */
final class SharedChunkEntries {
    /** Slots: a power of two, more than the chunks of a map of a million entries (about 2,000). */
    static final int SLOTS = 4096;

    private final AtomicReferenceArray<Revision> slots = new AtomicReferenceArray<>(SLOTS);

    /** One decoded revision of a chunk. */
    private static final class Revision extends WeakReference<LinkedHashMap<Object, Object>> {
        final long oid;
        final long tid;

        Revision(long oid, long tid, LinkedHashMap<Object, Object> entries) {
            super(entries);
            this.oid = oid;
            this.tid = tid;
        }
    }

    /** The shared entries of chunk {@code oid} as committed by {@code tid}, or null when none are held. */
    LinkedHashMap<Object, Object> get(long oid, long tid) {
        Revision r = slots.get(slot(oid));
        return r != null && r.oid == oid && r.tid == tid ? r.get() : null;
    }

    /** Offers {@code entries}, decoded from chunk {@code oid}'s revision {@code tid} and never changed again. */
    void put(long oid, long tid, LinkedHashMap<Object, Object> entries) {
        slots.set(slot(oid), new Revision(oid, tid, entries));
    }

    private static int slot(long oid) {
        long h = oid * 0x9E37_79B9_7F4A_7C15L; // chunks' oids are spread over the map's life: mix them
        return (int) (h >>> 52) & (SLOTS - 1);
    }
}
