package org.jodb.storage;

/** Test support: what tests in other packages may ask a {@link MappedFileStorage} about its internals. */
public final class StoreInternals {

    private StoreInternals() {
    }

    /** Whether open trusted the persisted index instead of rebuilding it from the log. */
    public static boolean openedFromIndex(MappedFileStorage storage) {
        return storage.openedFromIndex;
    }
}
