package org.jodb.storage.internal.log;

import java.nio.file.Path;

/**
 * The few file operations the {@link Log} performs while committing: creating a segment, writing to a
 * segment ({@code pwrite}), forcing it ({@code fdatasync}). {@link #REAL} does them; the seam exists so that
 * tests can make any one of them fail, the way SQLite's test VFS simulates I/O errors (pagerfault.test).
 *
 * <p>How each can fail in reality, and what the log does about it:
 * <ul>
 *   <li>{@link #createSegment}: disk full or no permission while the new file is written (it is allocated
 *       whole, FORMAT.md 3.1). Throws {@link org.jodb.spi.StorageException}; no file is left under the
 *       segment's name. The commit that needed the room fails; the store stays usable.
 *       {@link #prepareSegment}, which makes the next segment ahead of time, fails the same way but fails
 *       nothing: the rollover then calls {@link #createSegment}, which reports the failure.</li>
 *   <li>{@link #write}: the file is allocated whole, so a write cannot meet a full disk; it fails only on a
 *       device error ({@link java.io.UncheckedIOException}), and the bytes may be partly written. The log
 *       zeroes what it wrote (best effort). A failed end marker, at a rollover in vote, fails only that
 *       commit, and the store stays usable. A failed transaction record, written at finish with its commit
 *       point, fails the log as a failed force does: the storage closes itself, and reopening finds the
 *       transaction wholly present or wholly absent.</li>
 *   <li>{@link #force}: {@code fdatasync} failed ({@link java.io.UncheckedIOException}). After a failed force the
 *       kernel may already have dropped the dirty pages, so nothing written since the last good force can be
 *       trusted to reach the disk: the log refuses all further work and the storage closes itself; reopening
 *       reads what really is on disk and recovers (FORMAT.md 8).</li>
 * </ul>
 */
public interface LogIo {

    /** The real operations. */
    LogIo REAL = new LogIo() {
    };

    /** Creates segment {@code id} in {@code dir} under {@code name}, allocated whole and forced. */
    default Segment createSegment(Path dir, String name, int id, int capacity) {
        return Segment.create(dir, name, id, capacity);
    }

    /**
     * Makes segment {@code id} ahead of time under a temporary name ({@link Segment#prepare}); runs on a thread
     * of its own. A failure only means the rollover makes the segment itself, with {@link #createSegment}.
     */
    default Segment prepareSegment(Path dir, String name, int id, int capacity) {
        return Segment.prepare(dir, name, id, capacity);
    }

    /** Writes {@code length} bytes of {@code bytes} from {@code from} at {@code offset} of the segment. */
    default void write(Segment segment, int offset, byte[] bytes, int from, int length) {
        segment.write(offset, bytes, from, length);
    }

    /** Forces {@code [from, to)} of the segment to the device. */
    default void force(Segment segment, int from, int to) {
        segment.force(from, to);
    }
}
