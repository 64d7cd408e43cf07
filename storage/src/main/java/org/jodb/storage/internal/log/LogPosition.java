package org.jodb.storage.internal.log;

/**
 * A place in the log packed into one {@code long}: the segment id in the high 32 bits, the byte offset
 * inside that segment in the low 32 bits. Positions compare in log order because segment ids only grow
 * (FORMAT.md invariant (2)) and are never reused, so a position from before a pack can never alias bytes
 * written after it.
 */
public final class LogPosition {

    /** "No position": no previous revision, no previous transaction. */
    public static final long NONE = 0L;

    /** A revision's previous revisions were removed by pack (FORMAT.md "data record", field prev). */
    public static final long PACKED = -1L;

    private LogPosition() {
    }

    public static long of(int segmentId, int offset) {
        return ((long) segmentId << 32) | (offset & 0xFFFF_FFFFL);
    }

    public static int segment(long position) {
        return (int) (position >>> 32);
    }

    public static int offset(long position) {
        return (int) position;
    }

    public static String describe(long position) {
        return "segment " + segment(position) + " offset " + offset(position);
    }
}
