package org.jodb.storage.internal.index;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import net.openhft.chronicle.hash.impl.VanillaChronicleHash;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.jodb.spi.StorageException;

/**
 * oid → (log position, tid) of the newest revision, in a Chronicle Map persisted to one file. Derived
 * state (FORMAT.md 5): the log is the truth, and this file is thrown away and rebuilt whenever it cannot
 * be trusted. Chronicle Map's capacity is fixed when the file is created, so the storage grows it (a copy
 * into a larger file) before it fills.
 *
 * <p>A file from disk is checked against the fingerprint {@code index.meta} recorded before Chronicle Map reads
 * it ({@link #open}), and every failure of Chronicle Map on its bytes is an {@link IndexDamagedException} naming
 * the file; the storage answers both by rebuilding from the log. {@link #verified()} tells an index whose
 * entries came from the log in this process from one trusted from disk, whose entries the storage checks
 * against the log before it believes them.
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
    /** The key of the seal entry (FORMAT.md 3.7): no oid is negative. */
    private static final long SEAL_KEY = Long.MIN_VALUE;

    private final ChronicleMap<Long, byte[]> map;
    private final Path file;
    private final int generation;
    private final long capacity;
    private final boolean verified;

    private OidIndex(ChronicleMap<Long, byte[]> map, Path file, int generation, long capacity, boolean verified) {
        this.map = map;
        this.file = file;
        this.generation = generation;
        this.capacity = capacity;
        this.verified = verified;
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

    /**
     * Creates an empty index file for {@code generation}, replacing any file of that generation. It counts as
     * {@linkplain #verified() verified}: whatever goes into it comes from the log.
     */
    public static OidIndex create(Path dir, int generation, long capacity) {
        return create(dir, generation, capacity, true);
    }

    private static OidIndex create(Path dir, int generation, long capacity, boolean verified) {
        Path file = file(dir, generation);
        try {
            Files.deleteIfExists(file);
            return new OidIndex(builder(capacity).createPersistedTo(file.toFile()), file, generation, capacity,
                    verified);
        } catch (IOException | RuntimeException e) {
            throw new StorageException(IndexCreationFailure.message(file, e), e);
        }
    }

    /**
     * Opens an existing index file, not {@linkplain #verified() verified}. The file is first checked against
     * {@code expected}, what {@code index.meta} recorded at close: Chronicle Map never sees a file of another
     * length or with another header, so it never waits for a "ready" bit or a segment lock that a damaged file
     * shows (up to a minute each).
     *
     * @throws IndexDamagedException when the file is missing, does not match, or Chronicle Map cannot read it
     *                               (then rebuild it)
     */
    public static OidIndex open(Path dir, int generation, long capacity, IndexFingerprint expected) {
        Path file = file(dir, generation);
        if (!Files.isRegularFile(file)) {
            throw new IndexDamagedException("the oid index " + file + " is missing", null);
        }
        String mismatch = expected.mismatch(file);
        if (mismatch != null) {
            throw new IndexDamagedException("the oid index " + file + " is not the file " + IndexMeta.FILE_NAME
                    + " describes: " + mismatch, null);
        }
        try {
            return new OidIndex(builder(capacity).createPersistedTo(file.toFile()), file, generation, capacity, false);
        } catch (IOException | RuntimeException | LinkageError | AssertionError e) {
            throw new IndexDamagedException("cannot open the oid index " + file + ": " + e, e);
        }
    }

    /**
     * Whether every entry came from the log in this process: the index was created empty and filled from the
     * log (open's rebuild, pack), or copied from such an index. One opened from disk is not: a disagreement
     * between it and the log may be damage of the index file, and the storage rebuilds it before it blames
     * the log.
     */
    public boolean verified() {
        return verified;
    }

    /**
     * How many bytes from the start of the file hold Chronicle Map's header, global state and segment headers
     * (the span {@link IndexFingerprint} checks); the hash lookups and entries of the segments follow.
     */
    public long headerSpan() {
        try {
            // Chronicle Map 2026.1's layout: its public fields and sizeInBytesWithoutTiers(), which is the
            // segment headers' offset plus, per segment, a segment header and a first tier.
            VanillaChronicleHash<?, ?, ?, ?> hash = (VanillaChronicleHash<?, ?, ?, ?>) map;
            return hash.sizeInBytesWithoutTiers() - hash.actualSegments * hash.tierSize;
        } catch (RuntimeException e) {
            throw damaged("read the layout of", e);
        }
    }

    /**
     * Forces the closed file and takes its fingerprint, for {@code index.meta}.
     *
     * @param headerSpan {@link #headerSpan()}, asked before the index was closed
     */
    public IndexFingerprint fingerprint(long headerSpan) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return IndexFingerprint.of(file, headerSpan);
    }

    /**
     * Puts the seal before a clean close (FORMAT.md 3.7): the log end and last tid this file's entries reflect.
     * A copy of the file from another moment of the log, whose header and length may well match the
     * fingerprint (updates change neither), then holds another seal. Call {@link #size()} first: the seal is
     * not an oid.
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file
     */
    public void seal(long logEnd, long lastTid) {
        put(SEAL_KEY, logEnd, lastTid);
    }

    /**
     * Checks and removes the seal of a file opened from disk.
     *
     * @throws IndexDamagedException when the file holds no seal or another one (it is not the file that was
     *                               closed at {@code logEnd}, {@code lastTid}), or Chronicle Map fails on it
     */
    public void unseal(long logEnd, long lastTid) {
        Entry seal = get(SEAL_KEY);
        if (seal == null || seal.position() != logEnd || seal.tid() != lastTid) {
            throw new IndexDamagedException("the oid index " + file + " was not closed with the log at "
                    + logEnd + ", tid " + lastTid + (seal == null ? " (it holds no seal)" : " (its seal says "
                    + seal.position() + ", tid " + seal.tid() + ")"), null);
        }
        try {
            map.remove(SEAL_KEY);
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw damaged("remove the seal from", e);
        }
    }

    /** The exception for a failure of Chronicle Map on this file: damage of the index, never of the log. */
    private IndexDamagedException damaged(String doing, Throwable e) {
        return new IndexDamagedException("Chronicle Map failed to " + doing + " the oid index " + file + ": " + e, e);
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
        byte[] value;
        try {
            value = map.getUsing(oid, into.value);
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw damaged("look up oid " + oid + " in", e);
        }
        if (value == null) {
            return false;
        }
        if (value != into.value) { // the reader reuses an array of the right size: any other is a damaged file
            throw new IndexDamagedException("the oid index " + file + " holds " + value.length + " bytes for oid "
                    + oid + " instead of " + VALUE_SIZE, null);
        }
        return true;
    }

    /**
     * The entry of {@code oid}, or {@code null}.
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file or the value has the wrong size
     */
    public Entry get(long oid) {
        byte[] value;
        try {
            value = map.get(oid);
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw damaged("look up oid " + oid + " in", e);
        }
        if (value == null) {
            return null;
        }
        if (value.length != VALUE_SIZE) {
            throw new IndexDamagedException("the oid index " + file + " holds " + value.length + " bytes for oid "
                    + oid + " instead of " + VALUE_SIZE, null);
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        return new Entry(b.getLong(0), b.getLong(8));
    }

    /** @throws IndexDamagedException when Chronicle Map fails on the file */
    public void put(long oid, long position, long tid) {
        try {
            map.put(oid, ByteBuffer.allocate(16).putLong(position).putLong(tid).array());
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw damaged("put oid " + oid + " into", e);
        }
    }

    /** Removes {@code oid}'s entry: for tests that make an index lose an oid as damage would. */
    void remove(long oid) {
        map.remove(oid);
    }

    /**
     * Number of oids indexed.
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file
     */
    public long size() {
        try {
            return map.longSize();
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw damaged("count the entries of", e);
        }
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

    /**
     * Calls {@code visitor} for every entry (no particular order).
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file or a value has the wrong size
     */
    public void forEach(EntryVisitor visitor) {
        try {
            map.forEachEntry(e -> {
                byte[] value = e.value().get();
                if (value.length != VALUE_SIZE) {
                    throw new IllegalStateException("a value of " + value.length + " bytes, not " + VALUE_SIZE);
                }
                ByteBuffer b = ByteBuffer.wrap(value);
                visitor.visit(e.key().get(), b.getLong(0), b.getLong(8));
            });
        } catch (IndexDamagedException e) {
            throw e;
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw damaged("walk the entries of", e);
        }
    }

    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long oid, long position, long tid);
    }

    /** Copies every entry into a new index of {@code newCapacity}, the next generation in the same directory. */
    OidIndex copyToNextGeneration(long newCapacity) {
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
        OidIndex bigger = create(file.getParent(), target, newCapacity, verified);
        for (int j = 0; j < i[0]; j++) {
            bigger.put(oids[j], positions[j], tids[j]);
        }
        return bigger;
    }

    /** Closes the map; a failure of Chronicle Map on a damaged file is left unreported (nothing more to do). */
    @Override
    public void close() {
        try {
            map.close();
        } catch (RuntimeException | AssertionError | InternalError e) {
            // the file is thrown away and rebuilt by the next open unless index.meta describes it
        }
    }
}
