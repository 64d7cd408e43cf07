package org.jodb.storage;

import java.util.Arrays;
import java.util.List;

import org.jodb.spi.DanglingReferenceException;
import org.jodb.spi.ReferenceFinder;
import org.jodb.storage.internal.log.LogLayout;

/**
 * The oids that packs of this storage removed since it was opened, and the {@link ReferenceFinder} the last
 * pack was given. A connection may still hold an object pack removed (it was unreachable, not unused) and
 * link it again; {@link #check} lets vote refuse such a commit instead of writing a reference to nothing
 * (FORMAT.md invariant (11)). Immutable: pack publishes a new one under the commit lock.
 *
 * <p>Cost: nothing until a pack removed something; then every vote runs the finder over the records it
 * writes and looks each reference up in a sorted array (8 bytes per removed oid, kept until close: after a
 * reopen no connection can hold a removed object any more).
 */
final class RemovedOids {

    static final RemovedOids NONE = new RemovedOids(new long[0], null);

    /** Sorted ascending, no duplicates. */
    private final long[] oids;
    private final ReferenceFinder finder;

    private RemovedOids(long[] oids, ReferenceFinder finder) {
        this.oids = oids;
        this.finder = finder;
    }

    /** This set plus {@code removed} (a pack's), checked with {@code finder} from now on. */
    RemovedOids plus(long[] removed, ReferenceFinder finder) {
        if (removed.length == 0) {
            return this;
        }
        long[] all = Arrays.copyOf(oids, oids.length + removed.length);
        System.arraycopy(removed, 0, all, oids.length, removed.length);
        Arrays.sort(all);
        return new RemovedOids(all, finder);
    }

    boolean contains(long oid) {
        return Arrays.binarySearch(oids, oid) >= 0;
    }

    int size() {
        return oids.length;
    }

    /**
     * Refuses records that refer to a removed object (vote, commit lock held).
     *
     * @throws DanglingReferenceException naming the first such reference; nothing was written
     */
    void check(List<LogLayout.DataRecord> records) {
        if (oids.length == 0) {
            return;
        }
        for (LogLayout.DataRecord record : records) {
            finder.references(record.data(), ref -> {
                if (contains(ref)) {
                    throw new DanglingReferenceException(record.oid(), ref);
                }
            });
        }
    }
}
