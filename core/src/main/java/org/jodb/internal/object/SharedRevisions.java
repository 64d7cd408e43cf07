package org.jodb.internal.object;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What one connection decoded from a committed revision of a container's piece, shared by the database's other
 * connections that load the same revision: the entries of a large map's chunk ({@link MapChunk}, which then
 * skips decoding the record) and the keys of a tree's node ({@link SharedKeys}). Eight connections of one
 * database that each look up keys all over a map of 100,000 entries would otherwise each decode and keep every
 * chunk and every node of its hash index, and each keep the records' bytes (to compare with at commit): the
 * bench's workload 5 spent more than half its time doing that and collecting what it made. A connection that
 * takes what another decoded also takes that one's copy of the record's bytes.
 *
 * <p>What is shared is never changed: a chunk reads its shared entries and copies them into a map of its own
 * before it changes them or walks them; a node never writes its keys array in place. Only immutable keys and values are
 * shared ({@link SharedKeys#immutable}: strings, boxed numbers, references not yet resolved), so that no
 * connection ever reaches another's objects through them. A revision is identified by its oid and its tid,
 * which never name two different records; records of the current transaction's savepoints are not revisions and
 * are never shared.
 *
 * <p>Direct-mapped by oid, each slot holding one revision weakly: what is shared stays here while some
 * connection holds it, and a piece whose slot another took is decoded on its own by the next connection that
 * loads it. Thread-safe and lock-free: a slot is replaced whole.
 */
final class SharedRevisions {
    /**
     * Slots: a power of two, about twice the pieces of a large map of a million entries (some 2,000 chunks and
     * 25,000-30,000 nodes of its hash index): a quarter of a MiB of references. Pieces whose oids meet in a
     * slot take turns.
     */
    static final int SLOTS = 1 << 16;

    private final AtomicReferenceArray<Revision> slots = new AtomicReferenceArray<>(SLOTS);

    /**
     * One shared revision of a piece: what was decoded of it, held weakly (the connections that took it hold
     * it), and its record's bytes, which they keep to compare with at commit, held weakly too.
     */
    static final class Revision extends WeakReference<Object> {
        final long oid;
        final long tid;
        private final WeakReference<byte[]> record;

        Revision(long oid, long tid, Object decoded, byte[] record) {
            super(decoded);
            this.oid = oid;
            this.tid = tid;
            this.record = new WeakReference<>(record);
        }

        /** What was decoded, or null once no connection holds it. */
        Object decoded() {
            return get();
        }

        /** The record's bytes, or null once no connection holds them. Never changed, as every saved record. */
        byte[] record() {
            return record.get();
        }
    }

    /** The shared revision of {@code oid} committed by {@code tid}, or null when none is held. */
    Revision get(long oid, long tid) {
        Revision r = slots.get(slot(oid));
        return r != null && r.oid == oid && r.tid == tid ? r : null;
    }

    /**
     * Offers {@code decoded}, read from {@code record}, {@code oid}'s revision {@code tid}: neither is changed
     * again.
     */
    void put(long oid, long tid, Object decoded, byte[] record) {
        slots.set(slot(oid), new Revision(oid, tid, decoded, record));
    }

    private static int slot(long oid) {
        long h = oid * 0x9E37_79B9_7F4A_7C15L; // chunks' oids are spread over the map's life: mix them
        return (int) (h >>> 48) & (SLOTS - 1);
    }
}
