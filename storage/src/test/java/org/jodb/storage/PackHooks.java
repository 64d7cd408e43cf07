package org.jodb.storage;

/** Test support for other packages: runs code at a pack's commit point (see {@link MappedFileStorage}). */
public final class PackHooks {

    private PackHooks() {
    }

    /** Runs {@code action} on the packing thread right after pack's commit point, before the swap. */
    public static void atCommitPoint(MappedFileStorage storage, Runnable action) {
        storage.hooks().atPackCommitPoint = action;
    }
}
