package org.jodb.postgres;

import java.util.Arrays;
import java.util.Map;
import org.jodb.spi.ReferenceFinder;

/**
 * The references of a transaction's records, each with the record that holds it: what a vote names once a pack
 * has removed objects ({@code removed_objects}, SCHEMA.md), so that the server refuses a reference to one of
 * them, and what names the referring record when it does. 16 bytes per reference found. Not thread-safe: one
 * vote's.
 */
final class RecordReferences {
    private long[] refs = new long[16];
    /** {@code from[i]} is the record that holds reference {@code refs[i]}. */
    private long[] from = new long[16];
    private int size;

    /** Adds the references of {@code records} (oid to bytes), found by {@code finder}. */
    void addAll(Map<Long, byte[]> records, ReferenceFinder finder) {
        for (Map.Entry<Long, byte[]> e : records.entrySet()) {
            long referrer = e.getKey();
            finder.references(e.getValue(), ref -> add(ref, referrer));
        }
    }

    private void add(long ref, long referrer) {
        if (size == refs.length) {
            refs = Arrays.copyOf(refs, size * 2);
            from = Arrays.copyOf(from, size * 2);
        }
        refs[size] = ref;
        from[size] = referrer;
        size++;
    }

    /** The oids referred to, ascending, each once. */
    long[] oids() {
        long[] sorted = Arrays.copyOf(refs, size);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (distinct == 0 || sorted[distinct - 1] != sorted[i]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, distinct);
    }

    /** A record that refers to {@code oid} (the first found), or -1 when none does. */
    long referrerOf(long oid) {
        for (int i = 0; i < size; i++) {
            if (refs[i] == oid) {
                return from[i];
            }
        }
        return -1;
    }
}
