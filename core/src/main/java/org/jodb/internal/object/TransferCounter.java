package org.jodb.internal.object;

/**
 * How many records one connection loaded from its storage and stored into it (ZODB's transfer counts):
 * what a lookup or a commit cost, for tests, scenarios and the bench. A load is counted when a record is
 * read from the storage (not when an object is filled again from this transaction's own savepoint data);
 * a store, for each record a commit hands to the storage. Used by the connection's thread only; each count
 * is also added to the database's totals.
 */
public final class TransferCounter {
    private final DatabaseCounters totals;
    private long loads;
    private long stores;

    TransferCounter(DatabaseCounters totals) {
        this.totals = totals;
    }

    /** One record read from the storage. */
    void loaded() {
        loads++;
        totals.loads.increment();
    }

    /** {@code records} records read from the storage by one batch load. */
    void loaded(int records) {
        loads += records;
        totals.loads.add(records);
    }

    /** {@code records} records handed to the storage by a commit. */
    void stored(int records) {
        stores += records;
        totals.stores.add(records);
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
