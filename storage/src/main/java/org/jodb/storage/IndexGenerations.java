package org.jodb.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jodb.storage.internal.index.OidIndex;

/**
 * The storage's oid index over time: the current generation, those it replaced, and the numbers of new ones.
 *
 * <p>An index is never mutated into another shape in place: growth (at commit), pack and a rebuild after damage
 * each make a new generation, in a file of its own, and {@link #swap} makes it current. The one it replaces stays
 * open until close, because a reader that fetched it before the swap may still be asking it; such a reader
 * notices the swap (its index is no longer {@link #current}) and asks again. Generation numbers come from one
 * counter, so that growth and a pack running alongside never name the same file.
 */
final class IndexGenerations {

    /** Index capacity (pages, of 64 oids each) below which {@link #grow} quadruples it. */
    static final long FOURFOLD_GROWTH_LIMIT = 250_000;

    private volatile OidIndex current;
    /** Indexes replaced while readers may still use them; closed at close. */
    private final List<OidIndex> retired = new CopyOnWriteArrayList<>();
    /** The newest generation number handed out. */
    private final AtomicInteger generations;

    IndexGenerations(OidIndex opened) {
        this.current = opened;
        this.generations = new AtomicInteger(opened.generation());
    }

    /** The index to ask now; compare it with {@link #current} again to learn whether it was replaced since. */
    OidIndex current() {
        return current;
    }

    /** A fresh generation number, never handed out before in this open. */
    int next() {
        return generations.incrementAndGet();
    }

    /**
     * Makes {@code replacement} (grown, packed or rebuilt) current; the old one stays open for readers, its pages
     * in memory written back and let go (under the commit lock, as every swap).
     */
    void swap(OidIndex replacement) {
        OidIndex old = current;
        current = replacement;
        old.retire();
        retired.add(old);
    }

    /**
     * {@link #swap} for a damaged index, rebuilt: its pages stay in memory until close, since writing them back
     * could wait on a damaged file (FORMAT.md 5, "never slow").
     */
    void swapDamaged(OidIndex rebuilt) {
        retired.add(current);
        current = rebuilt;
    }

    /** Closes the indexes replaced since open (close, after the current one was sealed). */
    void closeRetired() {
        retired.forEach(OidIndex::close);
    }

    /** Copies {@code old} into the next generation's file, with room for {@code morePages} pages (open time only). */
    static OidIndex grow(OidIndex old, long morePages) {
        return grow(old, morePages, old.generation() + 1);
    }

    /**
     * Copies {@code old} into generation {@code generation}'s file, with room for {@code morePages} pages and
     * then some. The copy runs inside a commit and costs about as much as the writes that filled the old index,
     * so the capacity grows fourfold (twofold past {@link #FOURFOLD_GROWTH_LIMIT} pages, where the file's size
     * starts to matter): a store that grows by bulk inserts then copies each page a third of a time on average,
     * not once.
     */
    static OidIndex grow(OidIndex old, long morePages, int generation) {
        long factor = old.capacity() < FOURFOLD_GROWTH_LIMIT ? 4 : 2;
        long capacity = Math.max(old.capacity() * factor,
                (long) ((old.pages() + morePages) / OidIndex.FILL_LIMIT) + 1);
        return old.copyTo(generation, capacity);
    }

    /** Removes index files of other generations (replaced, or left by a crash). */
    static void deleteFilesExcept(Path dir, int generation) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "index-*.cm")) {
            for (Path p : files) {
                if (OidIndex.isIndexFile(p) && !p.equals(OidIndex.file(dir, generation))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // a stale index file wastes space but is never read: the side file names the current one
        }
    }
}
