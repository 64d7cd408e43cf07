package org.jodb.storage.internal.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The layout of one value of the index (FORMAT.md 3.7): a page of {@value #OIDS} consecutive oids, the page
 * {@code oid >>> }{@value #SHIFT}, holding for the oid {@code page × }{@value #OIDS}{@code  + i} its newest
 * record's position (8 bytes) and tid (8 bytes), big-endian, at offset {@code 16 × i}. A slot of zeros is an
 * oid the page does not hold: no data record is at position 0, which names no segment.
 *
 * <p>Oids are handed out in order, so the objects a transaction creates, and the objects a reader meets in
 * oid order, share pages: one Chronicle Map operation serves up to {@value #OIDS} of them.
 */
final class OidPage {

    /** log2 of the oids per page. 64 oids make a 1 KiB value (see FORMAT.md 3.7 for the measurements). */
    static final int SHIFT = 6;
    static final int OIDS = 1 << SHIFT;
    static final int SLOT_SIZE = 16;
    static final int BYTES = OIDS * SLOT_SIZE;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private OidPage() {
    }

    /** The page that holds {@code oid}. */
    static long of(long oid) {
        return oid >>> SHIFT;
    }

    /** The first oid of {@code page}. */
    static long firstOid(long page) {
        return page << SHIFT;
    }

    /** The byte offset of {@code oid}'s slot in its page. */
    static int slot(long oid) {
        return (int) (oid & (OIDS - 1)) * SLOT_SIZE;
    }

    static long position(byte[] page, int slot) {
        return longAt(page, slot);
    }

    /** The big-endian long at byte {@code offset}. */
    static long longAt(byte[] page, int offset) {
        return (long) LONGS.get(page, offset);
    }

    static long tid(byte[] page, int slot) {
        return longAt(page, slot + 8);
    }

    /** Whether the slot holds an oid. */
    static boolean present(byte[] page, int slot) {
        return position(page, slot) != 0 || tid(page, slot) != 0;
    }

    static void set(byte[] page, int slot, long position, long tid) {
        LONGS.set(page, slot, position);
        LONGS.set(page, slot + 8, tid);
    }

    /** Counts the oids a page holds. */
    static int count(byte[] page) {
        int n = 0;
        for (int slot = 0; slot < BYTES; slot += SLOT_SIZE) {
            if (present(page, slot)) {
                n++;
            }
        }
        return n;
    }
}
