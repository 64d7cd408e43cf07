package org.jodb.storage.index;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.jodb.spi.StorageException;

/**
 * oid → (log position, tid) of the newest revision, in a Chronicle Map persisted to one file. Derived
 * state (FORMAT.md 5): the log is the truth, and this file is thrown away and rebuilt whenever it cannot
 * be trusted. Chronicle Map's capacity is fixed when the file is created, so the storage grows it (a copy
 * into a larger file) before it fills.
 *
 * <p>Thread-safe: Chronicle Map locks per segment internally; one writer (the committer) and many readers.
 */
public final class OidIndex implements AutoCloseable {

    static {
        // An embedded database must not phone home; must be set before any Chronicle class initialises.
        System.setProperty("chronicle.analytics.disable", "true");
    }

    /** Share of the capacity beyond which the index is grown; Chronicle fails hard past its capacity. */
    public static final double FILL_LIMIT = 0.75;

    /** Where a revision lives and which transaction wrote it. */
    public record Entry(long position, long tid) {
    }

    /**
     * One thread's place for the result of {@link #get(long, Lookup)}: the 16 value bytes Chronicle Map copies
     * out, reused from lookup to lookup so that a load allocates nothing for its index entry. Not thread-safe;
     * keep one per thread.
     */
    public static final class Lookup {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
        private final byte[] value = new byte[VALUE_SIZE];

        /** The position of the oid's newest data record, as of the last successful lookup. */
        public long position() {
            return (long) LONGS.get(value, 0);
        }

        /** Its tid, as of the last successful lookup. */
        public long tid() {
            return (long) LONGS.get(value, 8);
        }
    }

    /** Bytes of a value: position (8) and tid (8), big-endian (FORMAT.md 3.7). */
    private static final int VALUE_SIZE = 16;

    private final ChronicleMap<Long, byte[]> map;
    private final Path file;
    private final int generation;
    private final long capacity;

    private OidIndex(ChronicleMap<Long, byte[]> map, Path file, int generation, long capacity) {
        this.map = map;
        this.file = file;
        this.generation = generation;
        this.capacity = capacity;
    }

    /**
     * The file of index generation {@code generation}. Each rebuild, growth or pack writes a new generation
     * instead of renaming: Chronicle Map reopens its file by path when it adds tiers, so a live map's file
     * must never move.
     */
    public static Path file(Path dir, int generation) {
        return dir.resolve(String.format("index-%08d.cm", generation));
    }

    /** Whether {@code file} is some generation's index file. */
    public static boolean isIndexFile(Path file) {
        return file.getFileName().toString().matches("index-\\d{8}\\.cm");
    }

    /** Creates an empty index file for {@code generation}, replacing any file of that generation. */
    public static OidIndex create(Path dir, int generation, long capacity) {
        Path file = file(dir, generation);
        try {
            Files.deleteIfExists(file);
            return new OidIndex(builder(capacity).createPersistedTo(file.toFile()), file, generation, capacity);
        } catch (IOException | RuntimeException e) {
            throw new StorageException(IndexCreationFailure.message(file, e), e);
        }
    }

    /**
     * Opens an existing index file.
     *
     * @throws StorageException when the file is missing or Chronicle Map cannot read it (then rebuild it)
     */
    public static OidIndex open(Path dir, int generation, long capacity) {
        Path file = file(dir, generation);
        if (!Files.isRegularFile(file)) {
            throw new StorageException("no index file " + file);
        }
        try {
            return new OidIndex(builder(capacity).createPersistedTo(file.toFile()), file, generation, capacity);
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new StorageException("cannot open the oid index " + file + ": " + e, e);
        }
    }

    private static ChronicleMapBuilder<Long, byte[]> builder(long capacity) {
        return ChronicleMapBuilder.of(Long.class, byte[].class)
                .name("jodb-oid-index")
                .entries(capacity)
                .constantValueSizeBySample(new byte[VALUE_SIZE])
                .putReturnsNull(true);
    }

    /**
     * Looks {@code oid} up into {@code into} without allocating (Chronicle Map's {@code getUsing} copies the
     * value into the holder's array).
     *
     * @return whether the oid is in the index; when not, {@code into} holds nothing meaningful
     */
    public boolean get(long oid, Lookup into) {
        byte[] value = map.getUsing(oid, into.value);
        if (value == null) {
            return false;
        }
        if (value != into.value) { // the reader reuses an array of the right size: any other is a damaged file
            throw new StorageException("the oid index " + file + " holds " + value.length + " bytes for oid " + oid
                    + " instead of " + VALUE_SIZE + ". Close the store and delete its index-*.cm files to rebuild"
                    + " the index from the log.");
        }
        return true;
    }

    public Entry get(long oid) {
        byte[] value = map.get(oid);
        if (value == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        return new Entry(b.getLong(0), b.getLong(8));
    }

    public void put(long oid, long position, long tid) {
        map.put(oid, ByteBuffer.allocate(16).putLong(position).putLong(tid).array());
    }

    /** Number of oids indexed. */
    public long size() {
        return map.longSize();
    }

    /** Entries this file was created for. */
    public long capacity() {
        return capacity;
    }

    public Path file() {
        return file;
    }

    public int generation() {
        return generation;
    }

    /** Whether adding {@code more} oids would pass {@link #FILL_LIMIT}. */
    public boolean needsGrowth(long more) {
        return size() + more > (long) (capacity * FILL_LIMIT);
    }

    /** Calls {@code visitor} for every entry (no particular order). */
    public void forEach(EntryVisitor visitor) {
        map.forEachEntry(e -> {
            ByteBuffer b = ByteBuffer.wrap(e.value().get());
            visitor.visit(e.key().get(), b.getLong(0), b.getLong(8));
        });
    }

    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long oid, long position, long tid);
    }

    /** Copies every entry into a new index of {@code newCapacity}, the next generation in the same directory. */
    public OidIndex copyToNextGeneration(long newCapacity) {
        return copyTo(generation + 1, newCapacity);
    }

    /** Copies every entry into a new index of {@code newCapacity}, generation {@code target}, same directory. */
    public OidIndex copyTo(int target, long newCapacity) {
        // Collected first: a Chronicle Map operation inside another map's forEachEntry deadlocks on the
        // thread's query contexts.
        int n = Math.toIntExact(size());
        long[] oids = new long[n];
        long[] positions = new long[n];
        long[] tids = new long[n];
        int[] i = {0};
        forEach((oid, position, tid) -> {
            if (i[0] < n) {
                oids[i[0]] = oid;
                positions[i[0]] = position;
                tids[i[0]++] = tid;
            }
        });
        OidIndex bigger = create(file.getParent(), target, newCapacity);
        for (int j = 0; j < i[0]; j++) {
            bigger.put(oids[j], positions[j], tids[j]);
        }
        return bigger;
    }

    @Override
    public void close() {
        map.close();
    }
}
