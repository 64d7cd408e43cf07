package org.jodb.postgres;

import java.util.Arrays;
import java.util.Map;
import org.jodb.spi.DanglingReferenceException;
import org.jodb.spi.ReferenceFinder;

/**
 * The oids this storage's packs removed, with the reference finder of the last pack: a vote refuses a record that
 * refers to one of them ({@code Storage#pack}: a dangling reference must not be committed). Memory in proportion
 * to what the packs removed. Safe for many threads.
 */
final class RemovedOids {
    /** Sorted; replaced whole, never changed in place. */
    private volatile long[] removed = new long[0];
    private volatile ReferenceFinder finder;

    /** A pack removed {@code dropped}; {@code references} finds the references in a record. */
    synchronized void add(long[] dropped, ReferenceFinder references) {
        if (dropped.length == 0) {
            return;
        }
        long[] more = Arrays.copyOf(removed, removed.length + dropped.length);
        System.arraycopy(dropped, 0, more, removed.length, dropped.length);
        Arrays.sort(more);
        finder = references;
        removed = more;
    }

    /** @throws DanglingReferenceException when one of {@code records} refers to a removed oid */
    void check(Map<Long, byte[]> records) {
        long[] gone = removed;
        if (gone.length == 0) {
            return;
        }
        ReferenceFinder references = finder;
        for (Map.Entry<Long, byte[]> e : records.entrySet()) {
            references.references(e.getValue(), ref -> {
                if (Arrays.binarySearch(gone, ref) >= 0) {
                    throw new DanglingReferenceException(e.getKey(), ref);
                }
            });
        }
    }
}
