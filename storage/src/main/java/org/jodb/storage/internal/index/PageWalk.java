package org.jodb.storage.internal.index;

import java.util.Map;

import net.openhft.chronicle.map.ChronicleMap;

/** A walk over every page of an index (no particular order), the seal left out. */
final class PageWalk {

    @FunctionalInterface
    interface Visitor {
        /** {@code value} is valid during the call only: Chronicle Map may hand the same array for every page. */
        void visit(long page, byte[] value);
    }

    private PageWalk() {
    }

    /**
     * Calls {@code visitor} for every page of an index as of the call or later, the newest state of each: the
     * dirty pages in {@code memory} first (taken before the map is walked, since a dirty page leaves memory only
     * once the map has it), then the map's other pages, which were clean when the walk began (the map had them,
     * or holds a later state).
     */
    static void withMemory(ChronicleMap<Long, byte[]> map, long sealKey, MemoryPages memory, Visitor visitor) {
        Map<Long, byte[]> dirty = memory.dirtyPages();
        dirty.forEach(visitor::visit);
        forEach(map, sealKey, (page, value) -> {
            if (!dirty.containsKey(page)) {
                visitor.visit(page, value);
            }
        });
    }

    /**
     * Calls {@code visitor} for each page of {@code map} but the entry of {@code sealKey}.
     *
     * @throws IllegalStateException for an entry that is not a page (a damaged file)
     */
    static void forEach(ChronicleMap<Long, byte[]> map, long sealKey, Visitor visitor) {
        map.forEachEntry(e -> {
            long page = e.key().get();
            if (page == sealKey) {
                return;
            }
            byte[] value = e.value().get();
            if (value.length != OidPage.BYTES || page < 0) {
                throw new IllegalStateException("page " + page + " holds " + value.length + " bytes, not "
                        + OidPage.BYTES);
            }
            visitor.visit(page, value);
        });
    }
}
