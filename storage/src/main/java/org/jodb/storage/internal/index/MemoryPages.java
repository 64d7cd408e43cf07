package org.jodb.storage.internal.index;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongFunction;

/**
 * The pages of one index kept on the heap (FORMAT.md 3.7, "The pages in memory"), direct-mapped: page {@code p}
 * can only live in slot {@code p mod slots}. A slot holds a {@link Page}, which never changes once installed: a
 * write installs a new one, so a reader that holds a page holds one consistent state of it, and reads it without
 * a lock.
 *
 * <p>A <em>dirty</em> page holds writes that Chronicle Map has not received yet; only the index's one writer
 * makes, writes back and replaces dirty pages, and a dirty page leaves its slot only once written back. A reader
 * installs only a <em>clean</em> copy it made from the map, and only over a slot it saw empty or clean and that
 * no one changed since ({@link #read}): so a reader never drops a dirty page, and never installs a copy older
 * than the map (the map changes only when the writer writes a dirty page back, and the writer replaces the
 * page's slot when it does).
 */
final class MemoryPages {

    /** The most slots of one index: 16 MiB of pages (any 16,384 pages whose numbers differ modulo 16,384). */
    static final int MAX_SLOTS = 1 << 14;
    private static final int MIN_SLOTS = 1 << 6;

    /** One state of one page; immutable once installed. */
    static final class Page {
        final long number;
        /** The page's 1,024 bytes ({@link OidPage}). */
        final byte[] bytes;
        /** Whether Chronicle Map lacks writes this page holds. */
        final boolean dirty;
        /** Whether Chronicle Map holds an entry for this page (maybe older). */
        final boolean inMap;

        Page(long number, byte[] bytes, boolean dirty, boolean inMap) {
            this.number = number;
            this.bytes = bytes;
            this.dirty = dirty;
            this.inMap = inMap;
        }
    }

    private final AtomicReferenceArray<Page> slots;
    private final int mask;
    /** The most slots asked for, which a copy of the index is given too. */
    final int maxSlots;
    /** A fresh copy of a page from Chronicle Map, or {@code null} when the map lacks it. */
    private final LongFunction<byte[]> fromMap;
    private final PageWriter writer;
    /** Dirty pages that Chronicle Map holds no entry for yet (written by the one writer). */
    private volatile long notInMap;

    /** The pages of an index of {@code capacity} pages: a slot per page, between 64 and {@code maxSlots}. */
    MemoryPages(long capacity, int maxSlots, LongFunction<byte[]> fromMap, PageWriter writer) {
        int n = MIN_SLOTS;
        while (n < capacity && n < maxSlots) {
            n <<= 1;
        }
        slots = new AtomicReferenceArray<>(n);
        mask = n - 1;
        this.maxSlots = maxSlots;
        this.fromMap = fromMap;
        this.writer = writer;
    }

    /** How many pages are in memory now (tests). */
    int held() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            n += slots.get(i) == null ? 0 : 1;
        }
        return n;
    }

    /** How many pages the map lacks: dirty pages never written back. */
    long notInMap() {
        return notInMap;
    }

    private int slot(long page) {
        return (int) page & mask;
    }

    /**
     * A reader's page {@code page}, never to be written: the state in memory, else a copy from the map, offered
     * to the slot; {@code null} when neither has it.
     */
    byte[] read(long page) {
        Page seen = slots.get(slot(page));
        if (seen != null && seen.number == page) {
            return seen.bytes;
        }
        // Not dirty (a dirty page stays in its slot until the map has it): the map holds the page as of now, or
        // as of a later write-back, which replaces the slot and so refuses this copy.
        byte[] bytes = fromMap.apply(page);
        if (bytes != null && (seen == null || !seen.dirty)) {
            slots.compareAndSet(slot(page), seen, new Page(page, bytes, false, true));
        }
        return bytes;
    }

    /**
     * The writer's next state of {@code page}, dirty, for it to change and then {@link #install}: a copy of the
     * page in memory, or of the map's (writing back the dirty page that holds the slot first), or a new page.
     */
    Page nextState(long page) {
        Page held = slots.get(slot(page));
        if (held != null && held.number == page) {
            return new Page(page, held.bytes.clone(), true, held.inMap);
        }
        if (held != null && held.dirty) {
            writeBack(held);
        }
        byte[] copy = fromMap.apply(page);
        if (copy == null) {
            notInMap++; // one writer: no lost update
            return new Page(page, new byte[OidPage.BYTES], true, false);
        }
        return new Page(page, copy, true, true);
    }

    /** The writer's new state of a page, from {@link #nextState}. */
    void install(Page page) {
        slots.set(slot(page.number), page);
    }

    /** Gives the map a dirty page (the one writer); its slot then holds a clean copy. */
    private void writeBack(Page dirty) {
        writer.writeBack(dirty.number, dirty.bytes);
        if (!dirty.inMap) {
            notInMap--;
        }
        install(new Page(dirty.number, dirty.bytes, false, true));
    }

    /** Gives the map every dirty page (the one writer): before a copy of the map, and before the seal. */
    void writeBackAll() {
        for (int i = 0; i < slots.length(); i++) {
            Page page = slots.get(i);
            if (page != null && page.dirty) {
                writeBack(page);
            }
        }
    }

    /** The dirty pages as of now, by number: what a walk takes from memory before it walks the map. */
    Map<Long, byte[]> dirtyPages() {
        Map<Long, byte[]> dirty = new HashMap<>();
        for (int i = 0; i < slots.length(); i++) {
            Page page = slots.get(i);
            if (page != null && page.dirty) {
                dirty.put(page.number, page.bytes);
            }
        }
        return dirty;
    }

    /**
     * Lets the pages go, once the index is replaced by another generation (the writer, which writes nothing
     * here any more): every dirty page is written back first, so that a reader still asking this index finds
     * in the map what it found in memory. Stray readers may put back a few clean copies, which are right.
     *
     * @throws IndexDamagedException when the map cannot take a page; the pages then stay
     */
    void release() {
        writeBackAll();
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, null);
        }
    }
}
