package org.jodb.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.recovery.PackCommit;

/**
 * Pack's output segments, written as {@code log-N.seg.pack} until the pack commits, from segment id
 * {@link #firstId} on; each one is closed with an end marker when the next is begun, as in the log.
 */
final class PackOutput {

    private final Path dir;
    private final int segmentSize;
    /** The segments written, oldest first. */
    final List<Segment> segments = new ArrayList<>();
    final int firstId;
    private int nextId;
    private Segment current;
    private int offset;

    PackOutput(Path dir, int segmentSize, int firstId) {
        this.dir = dir;
        this.segmentSize = segmentSize;
        this.firstId = firstId;
        this.nextId = firstId;
    }

    /** The position a record of {@code length} bytes gets; begins a new segment when this one is too full. */
    long reserve(int length) {
        if (current == null || current.capacity - offset < length + LogLayout.END_MARKER_SIZE) {
            if (current != null) {
                current.putInt(offset, LogLayout.END_MAGIC);
            }
            int needed = LogLayout.SEGMENT_HEADER_SIZE + length + LogLayout.END_MARKER_SIZE;
            int capacity = Math.max(segmentSize, (needed + 7) & ~7);
            int id = nextId++;
            current = Segment.create(dir, Segment.fileName(id) + PackCommit.OUTPUT_SUFFIX, id, capacity);
            segments.add(current);
            offset = LogLayout.SEGMENT_HEADER_SIZE;
        }
        return LogPosition.of(current.id, offset);
    }

    /** Writes a record at the position {@link #reserve} gave it. */
    void write(long position, byte[] bytes) {
        current.write(LogPosition.offset(position), bytes, 0, bytes.length);
        offset = LogPosition.offset(position) + bytes.length;
    }

    /** Just after the last record written: where the log continues after the swap. */
    long end() {
        return LogPosition.of(current.id, offset);
    }

    /** Forces every output segment whole (before pack's commit point). */
    void forceAll() {
        for (Segment s : segments) {
            s.force(0, s.capacity);
        }
    }

    /** Closes and deletes the output of a pack that did not commit. */
    void discard() {
        for (Segment s : segments) {
            s.close();
            try {
                Files.deleteIfExists(s.file);
            } catch (IOException ignored) {
                // deleted at the next open
            }
        }
    }
}
