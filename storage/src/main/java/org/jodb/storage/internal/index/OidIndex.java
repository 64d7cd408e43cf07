package org.jodb.storage.internal.index;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import net.openhft.chronicle.hash.impl.VanillaChronicleHash;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.jodb.spi.StorageException;

/**
 * oid → (log position, tid) of the newest revision, in a Chronicle Map persisted to one file whose entries are
 * pages of {@value OidPage#OIDS} consecutive oids ({@link OidPage}, FORMAT.md 3.7): oids are handed out in order,
 * so a commit of new objects publishes one page per {@value OidPage#OIDS} of them, and a reader in oid order asks
 * Chronicle Map once per page. Derived state (FORMAT.md 5): the log is the truth, and this file is thrown away
 * and rebuilt whenever it cannot be trusted. Chronicle Map's capacity (in pages) is fixed when the file is
 * created, so the storage grows it (a copy into a larger file) before it fills.
 *
 * <p>A file from disk is checked against the fingerprint {@code index.meta} recorded before Chronicle Map reads
 * it ({@link #open}), and every failure of Chronicle Map on its bytes is an {@link IndexDamagedException} naming
 * the file; the storage answers both by rebuilding from the log. {@link #verified()} tells an index whose
 * entries came from the log in this process from one trusted from disk, whose entries the storage checks
 * against the log before it believes them.
 *
 * <p>Thread-safe for one writer (the committer, or the thread that builds the index) and many readers. The pages
 * in use live on the heap as well ({@link MemoryPages}, FORMAT.md 3.7): a write makes a new copy of its page there,
 * and Chronicle Map receives it when another page needs its slot, before a copy of the map, and at a clean close
 * ({@link #seal}); the file lags behind in between, at no cost, since a store not closed cleanly rebuilds its
 * index. A reader finds a page in memory without a lock, and copies one out of Chronicle Map only when memory
 * lacks it; it never sees half of a write of a page.
 */
public final class OidIndex implements AutoCloseable {

    static {
        // An embedded database must not phone home; must be set before any Chronicle class initialises.
        System.setProperty("chronicle.analytics.disable", "true");
    }

    /** Share of the capacity (pages) beyond which the index is grown; Chronicle fails hard past its capacity. */
    public static final double FILL_LIMIT = 0.75;

    /** Where a revision lives and which transaction wrote it. */
    public record Entry(long position, long tid) {
    }

    /**
     * One thread's place for the result of {@link #get(long, Lookup)}: the state of the page that holds the oid
     * (never written once a lookup hands it out). Not thread-safe; keep one per thread.
     */
    public static final class Lookup {
        private byte[] page = new byte[OidPage.BYTES];
        private int slot;

        /** The position of the oid's newest data record, as of the last successful lookup. */
        public long position() {
            return OidPage.position(page, slot);
        }

        /** Its tid, as of the last successful lookup. */
        public long tid() {
            return OidPage.tid(page, slot);
        }
    }

    /** Each thread's lookup for {@link #get(long)}. */
    private static final ThreadLocal<Lookup> ENTRY_LOOKUPS = ThreadLocal.withInitial(Lookup::new);

    /** The key of the seal entry (FORMAT.md 3.7): no page number is negative. */
    private static final long SEAL_KEY = Long.MIN_VALUE;

    private final ChronicleMap<Long, byte[]> map;
    private final Path file;
    private final int generation;
    private final long capacity;
    private final boolean verified;
    /**
     * Oids held: counted by each write, taken from the seal for a file from disk ({@link #unseal}). Written by
     * the one writer only.
     */
    private volatile long count;
    /** The pages in use, and every page written since Chronicle Map last received it. */
    final MemoryPages pages;

    private OidIndex(ChronicleMap<Long, byte[]> map, Path file, int generation, long capacity, boolean verified,
            int maxSlots) {
        this.map = map;
        this.file = file;
        this.generation = generation;
        this.capacity = capacity;
        this.verified = verified;
        this.pages = new MemoryPages(capacity, maxSlots, page -> value(page, null), new PageWriter(map, file));
    }

    /**
     * The capacity, in pages, of an index created for {@code oids} oids: the pages they fill when dense, as new
     * oids are (an index is grown before it passes {@link #FILL_LIMIT} of that).
     */
    public static long pagesFor(long oids) {
        return (oids + OidPage.OIDS - 1) / OidPage.OIDS;
    }

    /**
     * At most how many pages the first {@code n} of {@code oids} fall in: the number of runs of oids of one page
     * (exact for oids in order, as new oids are; more when pages interleave).
     */
    public static int pagesSpanned(long[] oids, int n) {
        return PageOrder.pagesSpanned(oids, n);
    }

    /** The page of {@code oid}, for a caller that counts the pages new oids may add ({@link #needsGrowth}). */
    public static long pageOf(long oid) {
        return OidPage.of(oid);
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
     * Creates an empty index file for {@code generation} with room for {@code capacity} pages, replacing any file
     * of that generation. It counts as {@linkplain #verified() verified}: whatever goes into it comes from the log.
     */
    public static OidIndex create(Path dir, int generation, long capacity) {
        return create(dir, generation, capacity, MemoryPages.MAX_SLOTS);
    }

    /** {@link #create} keeping at most {@code maxSlots} pages in memory (a power of two, 64 or more). */
    public static OidIndex create(Path dir, int generation, long capacity, int maxSlots) {
        return create(dir, generation, capacity, true, maxSlots);
    }

    private static OidIndex create(Path dir, int generation, long capacity, boolean verified, int maxSlots) {
        Path file = file(dir, generation);
        try {
            Files.deleteIfExists(file);
            return new OidIndex(builder(capacity).createPersistedTo(file.toFile()), file, generation, capacity,
                    verified, maxSlots);
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
    public static OidIndex open(Path dir, int generation, long capacity, IndexFingerprint expected, int maxSlots) {
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
            return new OidIndex(builder(capacity).createPersistedTo(file.toFile()), file, generation, capacity, false,
                    maxSlots);
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
     * Puts the seal before a clean close (FORMAT.md 3.7): the log end and last tid this file's entries reflect,
     * and the count of oids. A copy of the file from another moment of the log, whose header and length may well
     * match the fingerprint (updates change neither), then holds another seal. Call {@link #size()} first: the
     * seal is not a page. Writes every dirty page back first: the one writer only.
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file
     */
    public void seal(long logEnd, long lastTid) {
        pages.writeBackAll();
        byte[] seal = new byte[OidPage.BYTES];
        OidPage.set(seal, 0, logEnd, lastTid);
        OidPage.set(seal, OidPage.SLOT_SIZE, count, 0);
        try {
            map.put(SEAL_KEY, seal);
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw damaged("put the seal into", e);
        }
    }

    /**
     * Checks and removes the seal of a file opened from disk, and takes the count of oids from it.
     *
     * @throws IndexDamagedException when the file holds no seal or another one (it is not the file that was
     *                               closed at {@code logEnd}, {@code lastTid}), or Chronicle Map fails on it
     */
    public void unseal(long logEnd, long lastTid) {
        byte[] seal = value(SEAL_KEY, null);
        long sealEnd = seal == null ? 0 : OidPage.position(seal, 0);
        long sealTid = seal == null ? 0 : OidPage.tid(seal, 0);
        if (seal == null || sealEnd != logEnd || sealTid != lastTid) {
            throw new IndexDamagedException("the oid index " + file + " was not closed with the log at "
                    + logEnd + ", tid " + lastTid + (seal == null ? " (it holds no seal)" : " (its seal says "
                    + sealEnd + ", tid " + sealTid + ")"), null);
        }
        try {
            map.remove(SEAL_KEY);
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw damaged("remove the seal from", e);
        }
        count = OidPage.position(seal, OidPage.SLOT_SIZE);
    }

    /** The exception for a failure of Chronicle Map on this file: damage of the index, never of the log. */
    private IndexDamagedException damaged(String doing, Throwable e) {
        return new IndexDamagedException("Chronicle Map failed to " + doing + " the oid index " + file + ": " + e, e);
    }

    private static ChronicleMapBuilder<Long, byte[]> builder(long capacity) {
        return ChronicleMapBuilder.of(Long.class, byte[].class)
                .name("jodb-oid-pages")
                .entries(capacity)
                .constantValueSizeBySample(new byte[OidPage.BYTES])
                // no entry checksums: pages are written back in place (PageWriter), and the log, not a checksum, is
                // what an entry is checked against (FORMAT.md 5)
                .checksumEntries(false)
                .putReturnsNull(true);
    }

    /**
     * The value of {@code key} copied into {@code into} (or a new array when {@code into} is {@code null}),
     * {@code null} when there is none.
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file or the value is not a page
     */
    private byte[] value(long key, byte[] into) {
        byte[] value;
        try {
            value = into == null ? map.get(key) : map.getUsing(key, into);
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw damaged("look up page " + key + " in", e);
        }
        // Chronicle Map reuses an array of the value's size: any other size is a damaged file
        if (value != null && (value.length != OidPage.BYTES || into != null && value != into)) {
            throw new IndexDamagedException("the oid index " + file + " holds " + value.length + " bytes for page "
                    + key + " instead of " + OidPage.BYTES, null);
        }
        return value;
    }

    /**
     * Looks {@code oid} up into {@code into}: in the page held in memory, else in a copy from Chronicle Map,
     * offered to memory for the next readers.
     *
     * @return whether the oid is in the index; when not, {@code into} holds nothing meaningful
     * @throws IndexDamagedException when Chronicle Map fails on the file or the value is not a page
     */
    public boolean get(long oid, Lookup into) {
        byte[] bytes = pages.read(OidPage.of(oid));
        if (bytes == null) {
            return false;
        }
        into.page = bytes;
        into.slot = OidPage.slot(oid);
        return OidPage.present(bytes, into.slot);
    }

    /**
     * The entry of {@code oid}, or {@code null}, through the calling thread's own {@link Lookup}.
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file or the value is not a page
     */
    public Entry get(long oid) {
        Lookup lookup = ENTRY_LOOKUPS.get();
        return get(oid, lookup) ? new Entry(lookup.position(), lookup.tid()) : null;
    }

    /**
     * Puts one oid's entry (one write of its page).
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file
     */
    public void put(long oid, long position, long tid) {
        putAll(new long[]{oid}, new long[]{position}, 1, tid);
    }

    /**
     * Puts the entries of one transaction: the first {@code n} of {@code oids} at {@code positions}, all with
     * {@code tid}; one write per run of oids of one page (sorted first when they are not in order,
     * so that each page is written once).
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file
     */
    public void putAll(long[] oids, long[] positions, int n, long tid) {
        long[][] sorted = PageOrder.byOid(oids, positions, n);
        long[] o = sorted[0];
        long[] p = sorted[1];
        int i = 0;
        while (i < n) {
            long page = OidPage.of(o[i]);
            int end = i + 1;
            while (end < n && OidPage.of(o[end]) == page) {
                end++;
            }
            MemoryPages.Page next = pages.nextState(page);
            for (int j = i; j < end; j++) {
                int slot = OidPage.slot(o[j]);
                count += OidPage.present(next.bytes, slot) ? 0 : 1; // one writer: no lost update
                OidPage.set(next.bytes, slot, p[j], tid);
            }
            pages.install(next);
            i = end;
        }
    }

    /** Removes {@code oid}'s entry: for tests that make an index lose an oid as damage would. */
    void remove(long oid) {
        if (get(oid, new Lookup())) {
            MemoryPages.Page next = pages.nextState(OidPage.of(oid));
            OidPage.set(next.bytes, OidPage.slot(oid), 0, 0);
            pages.install(next);
            count--;
        }
    }

    /**
     * Number of oids indexed (of an index opened from disk: once {@linkplain #unseal unsealed}).
     */
    public long size() {
        return count;
    }

    /** Number of pages in the index, written back or not (the unit of its capacity). */
    public long pages() {
        try {
            return map.longSize() + pages.notInMap();
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw damaged("count the pages of", e);
        }
    }

    /** At most how many pages this index keeps in memory; a new generation made from it is given as many. */
    public int pagesInMemoryLimit() {
        return pages.maxSlots;
    }

    /** Pages this file was created for. */
    public long capacity() {
        return capacity;
    }

    public Path file() {
        return file;
    }

    public int generation() {
        return generation;
    }

    /**
     * Whether adding {@code newPages} pages would pass {@link #FILL_LIMIT}; pass an upper bound, such as
     * {@link #pagesSpanned} of the new oids.
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file
     */
    public boolean needsGrowth(long newPages) {
        return pages() + newPages > (long) (capacity * FILL_LIMIT);
    }

    /**
     * Calls {@code visitor} for every oid (no particular order of pages; in order within a page).
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file or a value is not a page
     */
    public void forEach(EntryVisitor visitor) {
        forEachPage((page, value) -> {
            for (int slot = 0; slot < OidPage.BYTES; slot += OidPage.SLOT_SIZE) {
                if (OidPage.present(value, slot)) {
                    visitor.visit(OidPage.firstOid(page) + slot / OidPage.SLOT_SIZE, OidPage.position(value, slot),
                            OidPage.tid(value, slot));
                }
            }
        });
    }

    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long oid, long position, long tid);
    }

    /** Every page as of the call or later ({@link PageWalk#withMemory}); any thread may walk while the writer writes. */
    private void forEachPage(PageWalk.Visitor visitor) {
        try {
            PageWalk.withMemory(map, SEAL_KEY, pages, visitor);
        } catch (IndexDamagedException e) {
            throw e;
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw damaged("walk the entries of", e);
        }
    }

    /** Copies every page into a new index (the one writer) of {@code newCapacity} pages, generation {@code target}, same directory. */
    public OidIndex copyTo(int target, long newCapacity) {
        pages.writeBackAll();
        // Collected first: a Chronicle Map operation inside another map's forEachEntry deadlocks on the
        // thread's query contexts.
        List<Long> pageNumbers = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        forEachPage((page, value) -> {
            pageNumbers.add(page);
            values.add(value.clone()); // Chronicle Map may hand the same array for every entry
        });
        OidIndex bigger = create(file.getParent(), target, newCapacity, verified, pages.maxSlots);
        try {
            for (int j = 0; j < values.size(); j++) {
                bigger.map.put(pageNumbers.get(j), values.get(j));
            }
        } catch (RuntimeException | AssertionError | InternalError e) {
            bigger.close();
            throw bigger.damaged("copy pages into", e);
        }
        bigger.count = count;
        return bigger;
    }

    /**
     * Replaced by another generation, this index stays open only for readers that asked it before: its pages in
     * memory are written back and let go (the one writer); a file that cannot take them keeps them.
     */
    public void retire() {
        try {
            pages.release();
        } catch (IndexDamagedException e) {
            // readers of a damaged index heal through the current one; nothing more to do here
        }
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
