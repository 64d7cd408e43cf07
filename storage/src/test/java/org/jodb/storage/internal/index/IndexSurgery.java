package org.jodb.storage.internal.index;

/** Test support: damages a live index the way a damaged file would, without touching the file's header. */
public final class IndexSurgery {

    private IndexSurgery() {
    }

    /** Makes {@code index} lose {@code oid}'s entry. */
    public static void lose(OidIndex index, long oid) {
        index.remove(oid);
    }
}
