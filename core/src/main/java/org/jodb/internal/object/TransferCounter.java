package org.jodb.internal.object;

/**
 * How many records one connection loaded from its storage and stored into it (ZODB's transfer counts):
 * what a lookup or a commit cost, for tests, scenarios and the bench. A load is counted when a record is
 * read from the storage (not when an object is filled again from this transaction's own savepoint data);
 * a store, for each record a commit hands to the storage. Used by the connection's thread only.
 */
public final class TransferCounter {
    private long loads;
    private long stores;

    /** One record read from the storage. */
    void loaded() {
        loads++;
    }

    /** {@code records} records read from the storage by one batch load. */
    void loaded(int records) {
        loads += records;
    }

    /** {@code records} records handed to the storage by a commit. */
    void stored(int records) {
        stores += records;
    }

    public long loads() {
        return loads;
    }

    public long stores() {
        return stores;
    }

    /** Starts counting from zero again. */
    public void reset() {
        loads = 0;
        stores = 0;
    }
}
