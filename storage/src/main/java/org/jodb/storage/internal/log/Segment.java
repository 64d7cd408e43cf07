package org.jodb.storage.internal.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.StorageException;
import org.jodb.spi.UnsupportedFormatException;

/**
 * One segment file, mapped whole into memory. Its length is fixed at creation and the file is filled
 * with real zeros then (not a sparse file), so that writing into it can never hit a full disk:
 * space is reserved when the segment is created, where a failure can still be reported cleanly.
 *
 * <p>Reads go through the mapping (read-only), writes through the channel ({@code pwrite}); the page cache
 * is shared, so a read sees every completed write. Both use absolute offsets only, so many threads may read
 * while one appends.
 */
public final class Segment {

    private static final Pattern NAME = Pattern.compile("log-(\\d{8})\\.seg");

    /** This segment's id; the high half of every {@link LogPosition} inside it. */
    public final int id;
    /** The file, for messages; changes only when a made segment or pack's output is renamed into place. */
    public volatile Path file;
    /** The file's length in bytes, header included. */
    public final int capacity;
    private final FileChannel channel;
    private final MappedByteBuffer map;

    private Segment(int id, Path file, int capacity, FileChannel channel, MappedByteBuffer map) {
        this.id = id;
        this.file = file;
        this.capacity = capacity;
        this.channel = channel;
        this.map = map;
    }

    /** The file name of segment {@code id}. */
    public static String fileName(int id) {
        return String.format("log-%08d.seg", id);
    }

    /** The segment id a file name stands for, or -1 if it is not a segment's name. */
    public static int idOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * Creates segment {@code id} in {@code dir} under {@code name}: written in full to a temporary file,
     * forced, then renamed, so a segment file never exists with a partial header (FORMAT.md invariant (3)).
     */
    public static Segment create(Path dir, String name, int id, int capacity) {
        Segment made = prepare(dir, name, id, capacity);
        try {
            made.install(dir.resolve(name));
        } catch (StorageException e) {
            made.close();
            deleteQuietly(made.file);
            throw e;
        }
        return made;
    }

    /**
     * The first half of {@link #create}: segment {@code id}, written in full and forced under the temporary
     * name {@code name + ".tmp"} (which open deletes, FORMAT.md 2), and opened. {@link #install} gives it its
     * name. Lets the log make its next segment ahead of time, off the commit path.
     */
    static Segment prepare(Path dir, String name, int id, int capacity) {
        Path tmp = dir.resolve(name + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(LogLayout.encodeSegmentHeader(id, capacity, System.currentTimeMillis())));
                ByteBuffer zeros = ByteBuffer.allocate(Math.min(1 << 20, capacity));
                long at = LogLayout.SEGMENT_HEADER_SIZE;
                while (at < capacity) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - at));
                    at += ch.write(zeros, at);
                }
                ch.force(true);
            }
            return open(tmp, id);
        } catch (IOException | UncheckedIOException | StorageException e) {
            deleteQuietly(tmp);
            throw new StorageException("cannot create log segment " + dir.resolve(name) + " (" + capacity
                    + " bytes): " + e.getMessage() + ". Free disk space or check permissions, then retry.", e);
        }
    }

    /**
     * Renames a {@link #prepare}d segment to {@code file}, its final name, and forces the directory: from
     * then on the segment is part of the store (FORMAT.md invariant (3)). On failure it keeps its old name.
     */
    public void install(Path target) {
        try {
            moveTo(target);
        } catch (IOException e) {
            throw new StorageException("cannot name log segment " + target + ": " + e.getMessage()
                    + ". Check the directory's permissions, then retry.", e);
        }
        forceDirectory(target.getParent());
    }

    /** Deletes a file that is no use any more (a segment that never became part of the log). */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // harmless: open deletes leftover *.tmp files, and a named empty segment after the log's end is
            // deleted by recovery (FORMAT.md 8)
        }
    }

    /** Opens and checks an existing segment file (FORMAT.md 3.1). */
    public static Segment open(Path file, int expectedId) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = ch.size();
            ByteBuffer header = ByteBuffer.allocate(LogLayout.SEGMENT_HEADER_SIZE);
            while (header.hasRemaining() && ch.read(header, header.position()) > 0) {
                // read fully
            }
            checkHeader(file, header.array(), header.position(), size, expectedId);
            // Read-only: every write goes through the channel (see write), so the kernel never has to
            // write-protect mapped pages, and flush other cores' TLBs, when a force cleans them.
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new Segment(expectedId, file, (int) size, ch, map);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StorageException("cannot open log segment " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void checkHeader(Path file, byte[] h, int read, long size, int expectedId) {
        if (read < 8 || !Arrays.equals(Arrays.copyOf(h, 8), LogLayout.SEGMENT_MAGIC)) {
            throw new CorruptStorageException(file + " is not a jodb log segment: offset 0 does not hold the magic"
                    + " \"jodb-log\". Move the file out of the store directory.");
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        short readVersion = b.getShort(LogLayout.S_READ_VERSION);
        short writeVersion = b.getShort(LogLayout.S_WRITE_VERSION);
        if (readVersion > LogLayout.FORMAT_READ_VERSION || writeVersion > LogLayout.FORMAT_WRITE_VERSION) {
            throw new UnsupportedFormatException(file + " has format read version " + readVersion + ", write version "
                    + writeVersion + " (offset " + LogLayout.S_READ_VERSION + "); this jodb reads and writes version "
                    + LogLayout.FORMAT_WRITE_VERSION + ". Open it with a newer jodb.");
        }
        if (readVersion < LogLayout.OLDEST_READABLE_VERSION) {
            throw new UnsupportedFormatException(file + " has format read version " + readVersion + " (offset "
                    + LogLayout.S_READ_VERSION + "), written by an older jodb; this jodb reads versions "
                    + LogLayout.OLDEST_READABLE_VERSION + " to " + LogLayout.FORMAT_READ_VERSION + " only (format "
                    + LogLayout.OLDEST_READABLE_VERSION + " added a CRC32C to every data record). Open the store with"
                    + " the jodb that wrote it and copy its objects into a new store, or delete it if it holds"
                    + " nothing worth keeping.");
        }
        if (read < LogLayout.SEGMENT_HEADER_SIZE
                || b.getInt(LogLayout.S_CRC) != LogLayout.crc(h, 0, LogLayout.S_CRC)) {
            throw new CorruptStorageException(file + ": segment header checksum mismatch at offset "
                    + LogLayout.S_CRC + ". Restore the store from a backup.");
        }
        int id = b.getInt(LogLayout.S_ID);
        int capacity = b.getInt(LogLayout.S_CAPACITY);
        if (id != expectedId || capacity != size || b.getInt(LogLayout.S_HEADER_SIZE) != LogLayout.SEGMENT_HEADER_SIZE) {
            throw new CorruptStorageException(file + ": segment header (offset " + LogLayout.S_ID + ") says id " + id
                    + " and " + capacity + " bytes, but the file is named for id " + expectedId + " and holds " + size
                    + " bytes. Restore the store from a backup.");
        }
    }

    /**
     * The exception for bytes of this segment that do not hold what a committed record must (FORMAT.md 8,
     * "damage"): names the file, the offset and the mismatch, and the remedy. Nothing is changed on disk and
     * other records stay readable.
     */
    public CorruptStorageException damaged(int offset, String what) {
        return new CorruptStorageException(file + " offset " + offset + ": " + what + DAMAGE_REMEDY);
    }

    /** How every {@link #damaged} message ends: what it means and what to do. */
    public static final String DAMAGE_REMEDY = ". The committed log is damaged here; other objects stay readable."
            + " Restore the store from a backup.";

    public int getInt(int offset) {
        return map.getInt(offset);
    }

    public byte getByte(int offset) {
        return map.get(offset);
    }

    /**
     * The offset just after the last byte of {@code [from, capacity)} that is not zero, or {@code from} when they
     * are all zero (recovery: where the bytes after the log's walk position end).
     */
    public int nonZeroEnd(int from) {
        int end = capacity;
        while (end - 8 >= from && map.getLong(end - 8) == 0) {
            end -= 8;
        }
        while (end > from && map.get(end - 1) == 0) {
            end--;
        }
        return end;
    }

    public long getLong(int offset) {
        return map.getLong(offset);
    }

    public short getShort(int offset) {
        return map.getShort(offset);
    }

    public byte[] read(int offset, int length) {
        byte[] out = new byte[length];
        map.get(offset, out, 0, length);
        return out;
    }

    /**
     * Writes with {@code pwrite}, not through the mapping: the page cache is shared, so the mapping (and every
     * reader) sees the bytes at once, and the later {@link #force} is an {@code fdatasync} of the file. Measured
     * here, writing through a writable mapping and forcing with {@code msync} cost 1.4 to 2 times as
     * much per commit: the kernel write-protects every mapped page it cleans (flushing TLBs) and takes a fault
     * when it is written again.
     *
     * @throws UncheckedIOException when the write fails (an I/O error; the bytes may be partly written)
     */
    public void write(int offset, byte[] bytes, int from, int length) {
        ByteBuffer b = ByteBuffer.wrap(bytes, from, length);
        try {
            while (b.hasRemaining()) {
                channel.write(b, offset + (b.position() - from));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void putInt(int offset, int value) {
        write(offset, ByteBuffer.allocate(4).putInt(value).array(), 0, 4);
    }

    /** CRC32C of {@code length} bytes at {@code offset}. */
    public int crc(int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(map.slice(offset, length));
        return (int) crc.getValue();
    }

    /**
     * The CRC32C of the data record at {@code offset} with {@code dataLength} data bytes, computed as
     * {@link LogLayout#dataRecordCrc} does (its header up to the CRC field, then its data).
     */
    public int dataRecordCrc(int offset, int dataLength) {
        CRC32C crc = new CRC32C();
        crc.update(map.slice(offset, LogLayout.D_CRC));
        crc.update(map.slice(offset + LogLayout.DATA_HEADER_SIZE, dataLength));
        return (int) crc.getValue();
    }

    /** {@link #dataRecordCrc(int, int)} of the record at {@code offset} whose data was copied into {@code data}. */
    public int dataRecordCrc(int offset, byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(map.slice(offset, LogLayout.D_CRC));
        crc.update(data, 0, data.length);
        return (int) crc.getValue();
    }

    /**
     * Writes zeros over {@code [from, to)}, from its first to its last byte that is not zero already (a cut
     * torn tail is mostly zeros; pages that are zero stay clean).
     *
     * @throws UncheckedIOException when the write fails
     */
    public void zero(int from, int to) {
        int first = from;
        while (first < to && map.get(first) == 0) {
            first++;
        }
        int last = to;
        while (last > first && map.get(last - 1) == 0) {
            last--;
        }
        byte[] zeros = new byte[Math.min(1 << 20, Math.max(0, last - first))];
        for (int at = first; at < last; at += zeros.length) {
            write(at, zeros, 0, Math.min(zeros.length, last - at));
        }
    }

    /**
     * Forces at least {@code [from, to)} to the device (FORMAT.md 6: {@code fdatasync} of the file, which
     * covers every byte written to it so far, through the mapping or not).
     *
     * @throws UncheckedIOException when the device reports an error
     */
    public void force(int from, int to) {
        if (to > from) {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Renames the file (a segment or pack output taking its final name); the mapping stays valid. */
    public void moveTo(Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        file = target;
    }

    public void close() {
        closeQuietly(channel);
    }

    public static void forceDirectory(Path dir) {
        // Makes a create, rename or delete durable. Linux allows fsync on a directory opened for reading.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms refuse to open directories; there a rename is as durable as the OS makes it.
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
