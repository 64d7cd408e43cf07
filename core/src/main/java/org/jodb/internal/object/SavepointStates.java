package org.jodb.internal.object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.jodb.spi.StorageException;

/**
 * The records one transaction has written so far, at savepoints and at commit (ZODB's {@code TmpStore}):
 * for each oid the latest bytes and the serial the writer read. A savepoint can be rolled back to any number
 * of times, and rolling back to an earlier one forgets the later ones' records.
 *
 * <p>Records are appended, never overwritten: a {@link Mark} (a copy of the index) can restore the
 * state of any earlier savepoint, any number of times. Records live on the heap until {@code
 * spillThreshold} bytes have been written, then in a temporary memory-mapped file, so a transaction can
 * write more than the heap holds. The file is deleted by {@link #clear()} (commit, abort) and
 * {@link #close()}.
 *
 * <p>Not thread-safe: used by one connection's thread.
 */
final class SavepointStates implements AutoCloseable {
    /** No location: {@code index} holds offsets {@code >= 0} and heap positions {@code < 0}, never this. */
    private static final long NONE = Long.MIN_VALUE;
    /** Size of each mapped region of the spill file, in bytes. */
    private static final int REGION = 32 << 20;

    /** Bytes kept on the heap before records go to the spill file. */
    private final long spillThreshold;
    /** oid → location: {@code >= 0} an offset in the spill file, {@code < 0} {@code -(index + 1)} in {@link #heap}. */
    private LongLongTable index = new LongLongTable();
    /** oid → serial read by the writer; entries are never removed before clear (serials do not change). */
    private LongLongTable serials = new LongLongTable();
    private final List<byte[]> heap = new ArrayList<>();
    /** Bytes appended to the heap so far. */
    private long heapBytes;
    private Path file;
    private FileChannel channel;
    /** Mapped regions by their offset in the file. */
    private final TreeMap<Long, MappedByteBuffer> regions = new TreeMap<>();
    /** Offset where the next spilled record goes; file offsets below it are written. */
    private long fileEnd;

    SavepointStates(long spillThreshold) {
        this.spillThreshold = spillThreshold;
    }

    /** The state of the store at a savepoint. Immutable. */
    static final class Mark {
        final LongLongTable index;

        Mark(LongLongTable index) {
            this.index = index;
        }
    }

    boolean isEmpty() {
        return index.isEmpty();
    }

    int size() {
        return index.size();
    }

    boolean contains(long oid) {
        return index.containsKey(oid);
    }

    /** True once records went to the spill file (for tests and diagnostics). */
    boolean hasSpilled() {
        return file != null;
    }

    void put(long oid, long serial, byte[] data) {
        serials.putIfAbsent(oid, serial);
        if (heapBytes + data.length <= spillThreshold) {
            heap.add(data);
            heapBytes += data.length;
            index.put(oid, -(long) heap.size());
        } else {
            index.put(oid, spill(data));
        }
    }

    /** The latest bytes written for {@code oid}, or null. */
    byte[] get(long oid) {
        long location = index.get(oid, NONE);
        return location == NONE ? null : read(location);
    }

    /** The serial the writer read for {@code oid}; only valid when {@link #contains} is true. */
    long serial(long oid) {
        return serials.get(oid, 0L);
    }

    Mark mark() {
        return new Mark(index.copy());
    }

    /**
     * Restores the index of a savepoint; records written after it stay in the log, unreachable.
     *
     * @param changed receives each oid whose record differs from the one at the mark (written after it)
     */
    void restore(Mark mark, java.util.function.LongConsumer changed) {
        index.forEach((oid, location) -> {
            if (mark.index.get(oid, NONE) != location) {
                changed.accept(oid);
            }
        });
        index = mark.index.copy();
    }

    /** Every oid that has a record. */
    void forEachOid(LongConsumer action) {
        index.forEach((oid, location) -> action.accept(oid));
    }

    /** Receives one record. */
    interface RecordVisitor {
        void visit(long oid, long serial, byte[] data);
    }

    /** Every record, with the serial its writer read. */
    void forEach(RecordVisitor visitor) {
        index.forEach((oid, location) -> visitor.visit(oid, serials.get(oid, 0L), read(location)));
    }

    /** The spill file, or null while every record is on the heap. For tests. */
    Path spillFile() {
        return file;
    }

    /** Forgets every record and deletes the spill file. */
    void clear() {
        index.clear(); // never shared: marks and restore copy it
        serials.clear();
        heap.clear();
        heapBytes = 0;
        releaseFile();
    }

    @Override
    public void close() {
        clear();
    }

    private long spill(byte[] data) {
        try {
            if (file == null) {
                Path created = Files.createTempFile("jodb-savepoint-", ".tmp");
                try {
                    channel = FileChannel.open(created, StandardOpenOption.READ, StandardOpenOption.WRITE);
                } catch (IOException e) {
                    Files.deleteIfExists(created); // file stays null: the next spill tries afresh
                    throw e;
                }
                file = created;
            }
            int need = data.length + 4;
            Map.Entry<Long, MappedByteBuffer> last = regions.lastEntry();
            if (last == null || fileEnd + need > last.getKey() + last.getValue().capacity()) {
                long size = Math.max(REGION, need);
                regions.put(fileEnd, channel.map(FileChannel.MapMode.READ_WRITE, fileEnd, size));
                last = regions.lastEntry();
            }
            ByteBuffer region = last.getValue();
            int at = (int) (fileEnd - last.getKey());
            region.putInt(at, data.length);
            region.put(at + 4, data);
            long offset = fileEnd;
            fileEnd += need;
            return offset;
        } catch (IOException e) {
            String dir = System.getProperty("java.io.tmpdir");
            throw new StorageException("cannot write the savepoint spill file " + (file != null ? file : "in " + dir)
                    + ": " + e + "; free disk space in " + dir + " (or set java.io.tmpdir to a writable directory),"
                    + " or raise the savepoint spill threshold; then abort the transaction", e);
        }
    }

    private byte[] read(long location) {
        if (location < 0) {
            return heap.get((int) (-location - 1));
        }
        Map.Entry<Long, MappedByteBuffer> region = regions.floorEntry(location);
        int at = (int) (location - region.getKey());
        ByteBuffer buffer = region.getValue();
        byte[] data = new byte[buffer.getInt(at)];
        buffer.get(at + 4, data);
        return data;
    }

    private void releaseFile() {
        if (file == null) {
            return;
        }
        for (MappedByteBuffer region : regions.values()) {
            unmap(region);
        }
        regions.clear();
        fileEnd = 0;
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
        file = null;
        channel = null;
    }

    /**
     * Whether {@link #unmap} may call {@code sun.misc.Unsafe.invokeCleaner}: before JDK 24 always; from JDK 24
     * on, where every memory-access method of {@code Unsafe} prints a warning (and will later fail), only when
     * the JVM was started with {@code --sun-misc-unsafe-memory-access=allow}, which the file store's flags on
     * JDK 24 and later include (README, "Embedding jodb"). Otherwise a mapping is left to the garbage collector.
     */
    private static final boolean EXPLICIT_UNMAP = Runtime.version().feature() < 24
            || "allow".equals(System.getProperty("sun.misc.unsafe.memory.access"));

    /**
     * Releases a mapping now rather than at garbage collection, so the file's space is freed at once (where
     * {@link #EXPLICIT_UNMAP} allows; the file's name is deleted either way).
     */
    private static void unmap(MappedByteBuffer buffer) {
        if (!EXPLICIT_UNMAP) {
            return;
        }
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field f = unsafeClass.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object unsafe = f.get(null);
            unsafeClass.getMethod("invokeCleaner", ByteBuffer.class).invoke(unsafe, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // left to the garbage collector; the file is deleted anyway
        }
    }
}
