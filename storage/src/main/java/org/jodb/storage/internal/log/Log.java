package org.jodb.storage.internal.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.jodb.spi.StorageException;

/**
 * The append-only log: an ordered run of {@link Segment}s, the append point, and what has been forced.
 *
 * <p>Durability: vote reserves a transaction's place; finish writes the record, whose trailer is the commit
 * point, in one write (FORMAT.md 7), then {@link #awaitDurable} forces the log up to its end. Concurrent
 * committers share one force ({@link GroupForce}).
 *
 * <p>Concurrency: appends ({@link #reserve}, {@link #writeRecord},
 * {@link #adopt}, {@link #retire}) are called under the storage's commit lock, one transaction at a time;
 * reads go straight to the segments and may run on any thread at any time; forces may come from any thread
 * ({@link #awaitDurable}).
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
    /** Forces the log for committers, and knows how far it is durable. */
    private final GroupForce force;
    /** The next segment, being made ahead of time, or {@code null}; commit lock (and close). */
    private SpareSegment spare;
    /** The file operations used for appending and forcing (a seam for fault-injection tests). */
    private final LogIo io;
    /** Set when a force (or a commit point's write) failed: from then on the log refuses all work. */
    private volatile StorageException failure;

    /**
     * @param io        the file operations to append and force with ({@link LogIo#REAL} but in tests)
     * @param ordered   the recovered segments, oldest first (at least one)
     * @param end       where the next record goes, in the last segment (recovery refuses a last segment closed
     *                  with an end marker: its successor is missing)
     */
    public Log(Path dir, int segmentSize, LogIo io, List<Segment> ordered, long end) {
        this.dir = dir;
        this.io = io;
        this.segmentSize = segmentSize;
        for (Segment s : ordered) {
            segments.put(s.id, s);
        }
        this.current = ordered.get(ordered.size() - 1);
        this.appendOffset = LogPosition.offset(end);
        this.committedEnd = end;
        // FORMAT.md invariant (5): the next record's durableAt will say every byte before `end` was forced. A
        // process killed before its force (DEFERRED, or SYNC between write and force) left its last records in
        // the page cache only, so force them now: else a power loss could keep a later record that names them
        // durable and lose them, and recovery would refuse the torn tail as damage. Segments before the last
        // two were forced whole before their successor got a record (invariant (4)).
        for (int i = Math.max(0, ordered.size() - 2); i < ordered.size(); i++) {
            Segment s = ordered.get(i);
            try {
                io.force(s, 0, s.capacity);
            } catch (RuntimeException | InternalError e) {
                throw new StorageException("cannot force log segment " + s + " at open: " + e
                        + ". Check the device, then reopen.", e);
            }
        }
        this.force = new GroupForce(this, end);
    }

    /** Creates the first segment of a new store. */
    public static Segment createFirst(Path dir, int segmentSize, LogIo io) {
        return io.createSegment(dir, Segment.fileName(1), 1, segmentSize);
    }

    /**
     * Why the log stopped working, or {@code null} while it works. Once a force failed nothing written since
     * the last good force can be trusted to reach the disk, so every later append or force is refused and
     * the owner must close and reopen the store (recovery then reads what the disk really holds).
     */
    public StorageException failure() {
        return failure;
    }

    /** @throws StorageException once the log {@linkplain #failure() failed} */
    void checkUsable() {
        StorageException f = failure;
        if (f != null) {
            throw new StorageException("the log of " + dir + " failed earlier (" + f.getMessage()
                    + "); close the store and reopen it: recovery keeps every durable commit.", f);
        }
    }

    /** Marks the log failed and returns the exception to throw. */
    StorageException fail(String what, Throwable cause) {
        StorageException e = new StorageException("cannot " + what + " in " + dir + ": " + cause
                + ". The store must be reopened (recovery keeps every durable commit).", cause);
        if (failure == null) {
            failure = e;
        }
        return e;
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

    /** Every byte before this position has been forced to the device. */
    public long durableEnd() {
        return force.durableEnd();
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
        checkUsable();
        if (current.capacity - appendOffset >= length + LogLayout.END_MARKER_SIZE) {
            if (current.capacity >= SPARE_FROM && appendOffset >= current.capacity / 2
                    && (spare == null || spare.id() != current.id + 1)) {
                startSpare();
            }
            return LogPosition.of(current.id, appendOffset);
        }
        int needed = LogLayout.SEGMENT_HEADER_SIZE + length + LogLayout.END_MARKER_SIZE;
        int capacity = Math.max(segmentSize, (needed + 7) & ~7);
        // Disk full shows here, before anything of the transaction was written: the vote fails cleanly.
        Segment next = nextSegment(current.id + 1, capacity);
        // FORMAT.md invariant (4): a segment is closed with an end marker, forced, before the next one is used.
        boolean marked = false;
        try {
            if (current.capacity - appendOffset >= LogLayout.END_MARKER_SIZE) {
                marked = true;
                io.write(current, appendOffset, END_MARKER, 0, END_MARKER.length);
            }
        } catch (RuntimeException | InternalError e) {
            boolean unmarked = unmarkDurably(marked);
            abandon(next, unmarked);
            if (!unmarked) {
                throw fail("take back the end marker written into log segment " + current, e);
            }
            throw new StorageException("cannot close log segment " + current + " for appends: " + e
                    + ". Nothing was committed; retry the transaction.", e);
        }
        try {
            // Everything before the new segment's first record is durable then: the old segment was forced
            // whole and the new one was forced at creation; the next force starts in the new segment.
            force.exclusively(() -> io.force(current, 0, current.capacity),
                    LogPosition.of(next.id, LogLayout.SEGMENT_HEADER_SIZE));
        } catch (RuntimeException | InternalError e) {
            unmark(marked);
            abandon(next, !marked); // the zeros were not forced: the marker may still reach the disk
            throw fail("force log segment " + current, e);
        }
        segments.put(next.id, next);
        current = next;
        appendOffset = LogLayout.SEGMENT_HEADER_SIZE;
        return LogPosition.of(current.id, appendOffset);
    }

    /**
     * Segments of this size or more get a {@link SpareSegment}, started when the current one is half full.
     * Smaller ones (tests' tiny segments) are made at the rollover: that costs about as much as one force.
     */
    static final int SPARE_FROM = 1 << 20;

    private void startSpare() {
        if (spare != null) {
            spare.discard(); // made for an id a pack has since moved the log past
        }
        spare = SpareSegment.start(dir, io, current.id + 1, segmentSize);
    }

    /** Segment {@code id} under its final name: the spare if it was made for it, else made now. */
    private Segment nextSegment(int id, int capacity) {
        SpareSegment made = spare;
        spare = null;
        Segment next = made == null ? null : made.take(id, capacity);
        if (next == null) {
            return io.createSegment(dir, Segment.fileName(id), id, capacity);
        }
        try {
            next.install(dir.resolve(Segment.fileName(id)));
        } catch (RuntimeException e) {
            next.close();
            Segment.deleteQuietly(next.file);
            throw e;
        }
        return next;
    }

    private static final byte[] END_MARKER = {
            (byte) (LogLayout.END_MAGIC >>> 24), (byte) (LogLayout.END_MAGIC >>> 16),
            (byte) (LogLayout.END_MAGIC >>> 8), (byte) LogLayout.END_MAGIC};

    /**
     * Takes back an end marker whose write failed, and forces the zeros: a marker that reached the disk without
     * its next segment would be taken for a lost segment (FORMAT.md invariant (4)).
     *
     * @return whether no marker can be left on disk
     */
    private boolean unmarkDurably(boolean marked) {
        if (!marked) {
            return true;
        }
        try {
            current.zero(appendOffset, appendOffset + LogLayout.END_MARKER_SIZE);
            force.exclusively(() -> io.force(current, 0, current.capacity));
            return true;
        } catch (RuntimeException | InternalError e) {
            return false;
        }
    }

    /** Takes back an end marker written by a {@link #reserve} that failed (in the page cache: not forced). */
    private void unmark(boolean marked) {
        if (marked) {
            zeroQuietly(current, appendOffset, appendOffset + LogLayout.END_MARKER_SIZE);
        }
    }

    /**
     * Closes a segment created by a {@link #reserve} that failed: it never became part of the log. It is deleted
     * only when no end marker was written into the old segment, since recovery takes a marker without a next
     * segment for a lost segment (FORMAT.md invariant (4)). It is kept only when the log has failed, so no later
     * reserve or pack meets it; the reopen's recovery deletes an empty segment after the log's end (FORMAT.md 8).
     */
    private void abandon(Segment next, boolean delete) {
        next.close();
        if (!delete) {
            return;
        }
        try {
            Files.deleteIfExists(next.file);
        } catch (IOException ignored) {
            // harmless if it stays, as above
        }
        Segment.forceDirectory(dir);
    }

    private static void zeroQuietly(Segment segment, int from, int to) {
        try {
            segment.zero(from, to);
        } catch (RuntimeException | InternalError ignored) {
            // Bytes after the committed end that are not zeros are a torn tail to recovery (FORMAT.md 8),
            // and the next append at the same place overwrites them.
        }
    }

    /**
     * Writes the whole transaction {@code record} at {@code position}, the place {@link #reserve} gave it, in one
     * write whose last bytes are the trailer, the commit point; then moves the append point past it (finish).
     * One write, not a body at vote and a trailer at finish: each write into the page cache costs 2-4 µs of
     * kernel time, which a durable commit of a few objects feels. A failure fails the log: the record may be
     * partly written, commit point included, so it is zeroed (best effort) and the store must be reopened,
     * which finds the transaction either complete or not at all.
     */
    public void writeRecord(long position, byte[] record) {
        checkUsable();
        Segment segment = segment(position);
        int offset = LogPosition.offset(position);
        try {
            io.write(segment, offset, record, 0, record.length);
        } catch (RuntimeException | InternalError e) {
            zeroQuietly(segment, offset, offset + record.length);
            throw fail("write the transaction record at " + LogPosition.describe(position), e);
        }
        appendOffset = offset + record.length;
        committedEnd = LogPosition.of(LogPosition.segment(position), appendOffset);
    }

    /**
     * Returns once every byte before {@code end} is forced; concurrent callers share one force (group commit,
     * {@link GroupForce#awaitDurable}).
     *
     * @throws StorageException when the force failed (then the log has failed)
     */
    public void awaitDurable(long end) {
        force.awaitDurable(end);
    }

    /**
     * Starts forcing everything committed so far on the log's forcer thread and returns at once (see
     * {@link GroupForce#forceInBackground}).
     */
    public void forceInBackground() {
        force.forceInBackground();
    }

    /** Forces everything committed so far. */
    public void forceAll() {
        force.forceAll();
    }

    /** Forces the bytes from {@code from} up to {@code to}, segment by segment. */
    void forceRange(long from, long to) {
        int first = LogPosition.segment(from);
        int last = LogPosition.segment(to);
        for (int id = first; id <= last; id++) {
            Segment s = segments.get(id);
            if (s == null) {
                continue;
            }
            int start = id == first ? LogPosition.offset(from) : 0;
            int stop = id == last ? LogPosition.offset(to) : s.capacity;
            io.force(s, start, stop);
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
     * Adopts pack's output: {@code added} become readable and appends continue after {@code end} in the last
     * of them. The segments it replaces stay readable until {@link #retire}, so that readers holding positions
     * from the old index finish their reads. Commit lock.
     */
    public void adopt(List<Segment> added, long end) {
        for (Segment s : added) {
            segments.put(s.id, s);
        }
        force.exclusively(() -> {
            current = added.get(added.size() - 1);
            appendOffset = LogPosition.offset(end);
            committedEnd = end;
        }, end); // pack forced its output before the swap
    }

    /** Makes replaced segments unreadable and closes them; readers that miss one start over. */
    public void retire(List<Segment> replaced) {
        for (Segment s : replaced) {
            segments.remove(s.id);
            s.close();
        }
    }

    public void close() {
        force.close();
        SpareSegment made = spare;
        spare = null;
        if (made != null) {
            made.discard(); // a spare would be deleted at the next open anyway; no need to leave it behind
        }
        for (Segment s : segments.values()) {
            s.close();
        }
    }
}
