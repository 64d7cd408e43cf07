package org.jodb.storage;

import org.jodb.storage.internal.index.OidIndex;

/**
 * What one thread's recent loads found in the index, so that its vote need not ask the index again for
 * oids it just read. A transaction usually loads an object, changes it and votes; vote then checks each
 * written oid's current tid and takes its position as the new record's {@code prev}, and asking Chronicle
 * Map again costs 0.3-0.6 µs per oid, about a tenth of a commit of ten updates without its force.
 *
 * <p>A remembered entry is still the index's answer if the index is the same object (pack and growth swap in
 * another) and no commit published since the load: publish puts into the index and only then advances
 * {@code lastTid} ({@link CommitGate#publish}), and vote asks under the commit lock. The load reads
 * {@code lastTid} before it asks the index, so an entry it saw half-way through a publish is remembered
 * with the older {@code lastTid} and never recalled.
 *
 * <p>Direct-mapped by oid, {@value #SIZE} entries; one per thread, not thread-safe. It also carries the
 * thread's {@link OidIndex.Lookup}, so that a load finds both with one thread-local lookup.
 */
final class LoadMemo {

    static final int SIZE = 64;

    /** The thread's holder for index answers, reused by each of its loads. */
    final OidIndex.Lookup lookup = new OidIndex.Lookup();

    private final OidIndex[] indexes = new OidIndex[SIZE];
    private final long[] oids = new long[SIZE];
    private final long[] lastTids = new long[SIZE];
    private final long[] positions = new long[SIZE];
    private final long[] tids = new long[SIZE];

    /** Remembers that {@code index}, asked when the storage's {@code lastTid} was {@code lastTid}, held this. */
    void remember(OidIndex index, long lastTid, long oid, long position, long tid) {
        int i = (int) oid & (SIZE - 1);
        indexes[i] = index;
        oids[i] = oid;
        lastTids[i] = lastTid;
        positions[i] = position;
        tids[i] = tid;
    }

    /** The remembered entry of {@code oid} if it is still current, else {@code null} (then ask the index). */
    OidIndex.Entry recall(OidIndex index, long lastTid, long oid) {
        int i = (int) oid & (SIZE - 1);
        if (indexes[i] == index && oids[i] == oid && lastTids[i] == lastTid) {
            return new OidIndex.Entry(positions[i], tids[i]);
        }
        return null;
    }
}
