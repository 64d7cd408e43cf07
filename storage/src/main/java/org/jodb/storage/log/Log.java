package org.jodb.storage.log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.jodb.spi.StorageException;

/**
 * The append-only log: an ordered run of {@link Segment}s, the append point, and what has been forced.
 *
 * <p>Durability: a transaction is appended in two writes, the body at vote and the trailer (the commit
 * point) at finish (FORMAT.md 7), then {@link #awaitDurable} forces the log up to its end. Whoever forces
 * covers every transaction finished before the force began, so concurrent committers share one force
 * (group commit).
 *
 * <p>Concurrency: appends ({@link #reserve}, {@link #writeBody}, {@link #writeTrailer}, {@link #discard},
 * {@link #replace}) are called under the storage's commit lock, one transaction at a time; reads go straight
 * to the segments and may run on any thread at any time.
 */
public final class Log {

    private final Path dir;
    private final int segmentSize;
    /** Every readable segment by id. Pack removes replaced ones; readers that miss one retry. */
    private final ConcurrentHashMap<Integer, Segment> segments = new ConcurrentHashMap<>();
    /** Where appends go; changed under the commit lock. */
    private volatile Segment current;
    /** Next free byte in {@link #current}; commit lock. */
    private int appendOffset;
    /** Position just after the last finished transaction. */
    private volatile long committedEnd;
    /** Every byte before this position has been forced to the device. */
    private volatile long durableEnd;
    private final Object flushLock = new Object();

    /**
     * @param ordered   the recovered segments, oldest first (at least one)
     * @param end       where the next record goes
     * @param endClosed whether the last segment was closed for appends (an end marker at {@code end})
     */
    public Log(Path dir, int segmentSize, List<Segment> ordered, long end, boolean endClosed) {
        this.dir = dir;
        this.segmentSize = segmentSize;
        for (Segment s : ordered) {
            segments.put(s.id, s);
        }
        this.current = ordered.get(ordered.size() - 1);
        this.appendOffset = endClosed ? current.capacity : LogPosition.offset(end);
        this.committedEnd = end;
        this.durableEnd = end; // recovery forced what it kept
    }

    /** Creates the first segment of a new store. */
    public static Segment createFirst(Path dir, int segmentSize) {
        return Segment.create(dir, Segment.fileName(1), 1, segmentSize);
    }

    /** The segment with this id, or {@code null} if pack removed it. */
    public Segment segment(int id) {
        return segments.get(id);
    }

    public Collection<Segment> segments() {
        return segments.values();
    }

    /** Segments oldest first. */
    public List<Segment> ordered() {
        List<Segment> list = new ArrayList<>(segments.values());
        list.sort((a, b) -> Integer.compare(a.id, b.id));
        return list;
    }

    public Path directory() {
        return dir;
    }

    public int segmentSize() {
        return segmentSize;
    }

    public long committedEnd() {
        return committedEnd;
    }

    public long durableEnd() {
        return durableEnd;
    }

    /** The id the next new segment gets. */
    public int nextSegmentId() {
        return current.id + 1;
    }

    /**
     * Finds room for a record of {@code length} bytes, creating a new segment if the current one is too
     * full. May fail (disk full) with a {@link StorageException}; then nothing changed.
     *
     * @return the position the record will have
     */
    public long reserve(int length) {
        if (current.capacity - appendOffset >= length + RecordCodec.END_MARKER_SIZE) {
            return LogPosition.of(current.id, appendOffset);
        }
        int needed = RecordCodec.SEGMENT_HEADER_SIZE + length + RecordCodec.END_MARKER_SIZE;
        int capacity = Math.max(segmentSize, (needed + 7) & ~7);
        Segment next = Segment.create(dir, Segment.fileName(current.id + 1), current.id + 1, capacity);
        // FORMAT.md invariant (4): a segment is closed with an end marker, forced, before the next one is used.
        if (current.capacity - appendOffset >= RecordCodec.END_MARKER_SIZE) {
            current.putInt(appendOffset, RecordCodec.END_MAGIC);
        }
        synchronized (flushLock) {
            current.force(0, current.capacity);
            durableEnd = Math.max(durableEnd, committedEnd);
        }
        segments.put(next.id, next);
        current = next;
        appendOffset = RecordCodec.SEGMENT_HEADER_SIZE;
        return LogPosition.of(current.id, appendOffset);
    }

    /** Writes all of {@code record} but its trailer at {@code position} (vote). */
    public void writeBody(long position, byte[] record) {
        segment(position).write(LogPosition.offset(position), record, 0, record.length - RecordCodec.TRAILER_SIZE);
    }

    /** Writes the trailer, the commit point, and moves the append point past the record (finish). */
    public void writeTrailer(long position, byte[] record) {
        int offset = LogPosition.offset(position);
        int trailer = record.length - RecordCodec.TRAILER_SIZE;
        segment(position).write(offset + trailer, record, trailer, RecordCodec.TRAILER_SIZE);
        appendOffset = offset + record.length;
        committedEnd = LogPosition.of(LogPosition.segment(position), appendOffset);
    }

    /** Zeroes a body written by {@link #writeBody} whose transaction aborted. */
    public void discard(long position, byte[] record) {
        int offset = LogPosition.offset(position);
        segment(position).zero(offset, offset + record.length - RecordCodec.TRAILER_SIZE);
    }

    /**
     * Returns once every byte before {@code end} is forced. The caller that takes the flush lock forces
     * up to the newest committed end, so the committers queued behind it find their work done.
     */
    public void awaitDurable(long end) {
        if (durableEnd >= end) {
            return;
        }
        synchronized (flushLock) {
            if (durableEnd >= end) {
                return;
            }
            long target = committedEnd;
            forceRange(durableEnd, target);
            durableEnd = target;
        }
    }

    /** Forces everything committed so far. */
    public void forceAll() {
        awaitDurable(committedEnd);
    }

    private void forceRange(long from, long to) {
        int first = LogPosition.segment(from);
        int last = LogPosition.segment(to);
        for (int id = first; id <= last; id++) {
            Segment s = segments.get(id);
            if (s == null) {
                continue;
            }
            int start = id == first ? LogPosition.offset(from) : 0;
            int stop = id == last ? LogPosition.offset(to) : s.capacity;
            s.force(start, stop);
        }
    }

    private Segment segment(long position) {
        Segment s = segments.get(LogPosition.segment(position));
        if (s == null) {
            throw new IllegalStateException("no segment for " + LogPosition.describe(position));
        }
        return s;
    }

    /**
     * Swaps in pack's output: the segments in {@code replaced} stop being readable, {@code added} take
     * their place, and appends continue after {@code end} in the last added segment. Commit lock.
     */
    public void replace(List<Segment> replaced, List<Segment> added, long end) {
        for (Segment s : added) {
            segments.put(s.id, s);
        }
        synchronized (flushLock) {
            current = added.get(added.size() - 1);
            appendOffset = LogPosition.offset(end);
            committedEnd = end;
            durableEnd = end; // pack forced its output before the swap
        }
        for (Segment s : replaced) {
            segments.remove(s.id);
            s.close();
        }
    }

    public void close() {
        for (Segment s : segments.values()) {
            s.close();
        }
    }
}
