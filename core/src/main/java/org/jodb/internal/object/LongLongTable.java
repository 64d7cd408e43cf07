package org.jodb.internal.object;

import java.util.Arrays;

/**
 * A map from non-negative longs (oids) to longs, by open addressing with linear probing: no boxing and
 * no entry objects. A transaction that creates a hundred thousand objects keeps their oids in these
 * tables, where a {@code HashMap<Long, Long>} made three objects per oid.
 *
 * <p>Not thread-safe.
 */
final class LongLongTable {
    /** Marks a free slot; no key is negative. */
    private static final long FREE = -1;
    /** Tables larger than this are dropped by {@link #clear} rather than kept. */
    private static final int KEPT_SLOTS = 1 << 16;

    private long[] keys;
    private long[] values;
    private int size;

    LongLongTable() {
        this(16);
    }

    private LongLongTable(int slots) {
        keys = new long[slots];
        values = new long[slots];
        Arrays.fill(keys, FREE);
    }

    /** Receives one entry. */
    interface Visitor {
        void visit(long key, long value);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean containsKey(long key) {
        return keys[find(key)] != FREE;
    }

    /** The value of {@code key}, or {@code absent}. */
    long get(long key, long absent) {
        int i = find(key);
        return keys[i] == FREE ? absent : values[i];
    }

    void put(long key, long value) {
        int i = find(checked(key));
        if (keys[i] == FREE) {
            i = claim(key, i);
        }
        values[i] = value;
    }

    /** {@link #put} unless {@code key} is present: one probe either way (a savepoint's records pass here). */
    void putIfAbsent(long key, long value) {
        int i = find(checked(key));
        if (keys[i] == FREE) {
            int slot = claim(key, i); // before values is read: claiming may grow the table
            values[slot] = value;
        }
    }

    private static long checked(long key) {
        if (key < 0) {
            throw new IllegalArgumentException("negative key " + key);
        }
        return key;
    }

    /** Takes free slot {@code i} for {@code key} (another one when the table grows first); returns the slot. */
    private int claim(long key, int i) {
        if ((size + 1) * 2 > keys.length) {
            grow();
            i = find(key);
        }
        keys[i] = key;
        size++;
        return i;
    }

    /** Every entry, in no particular order; the table must not change meanwhile. */
    void forEach(Visitor visitor) {
        long[] k = keys;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != FREE) {
                visitor.visit(k[i], values[i]);
            }
        }
    }

    /** Removes every entry; keeps the room (up to a limit) for the next transaction's as many oids. */
    void clear() {
        if (keys.length > KEPT_SLOTS) {
            keys = new long[16];
            values = new long[16];
        }
        Arrays.fill(keys, FREE);
        size = 0;
    }

    LongLongTable copy() {
        LongLongTable c = new LongLongTable(0);
        c.keys = keys.clone();
        c.values = values.clone();
        c.size = size;
        return c;
    }

    /** The slot of {@code key}, or the free slot where it would go. */
    private int find(long key) {
        long[] k = keys;
        int mask = k.length - 1;
        long h = key * 0x9E3779B97F4A7C15L;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (k[i] != key && k[i] != FREE) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[keys.length];
        Arrays.fill(keys, FREE);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != FREE) {
                int j = find(oldKeys[i]);
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
            }
        }
    }
}
