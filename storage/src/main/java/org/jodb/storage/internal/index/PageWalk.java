package org.jodb.storage.internal.index;

import net.openhft.chronicle.map.ChronicleMap;

/** A walk over every page of an index's map (no particular order), the seal left out. */
final class PageWalk {

    @FunctionalInterface
    interface Visitor {
        /** {@code value} is valid during the call only: Chronicle Map may hand the same array for every page. */
        void visit(long page, byte[] value);
    }

    private PageWalk() {
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
