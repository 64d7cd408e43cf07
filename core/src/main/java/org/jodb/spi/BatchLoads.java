package org.jodb.spi;

import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The batch load that {@link Storage#loadAllAt} and {@link StorageView#loadAll} fall back on: one load per oid,
 * in the order asked, and a failure that names the oid it happened at.
 */
final class BatchLoads {
    private BatchLoads() {
    }

    /** {@code load} for each of {@code oids}; the first failure fails the whole batch, naming its oid. */
    static Revision[] oneByOne(long[] oids, LongFunction<Revision> load) {
        Objects.requireNonNull(oids, "oids");
        Revision[] found = new Revision[oids.length];
        for (int i = 0; i < oids.length; i++) {
            try {
                found[i] = load.apply(oids[i]);
            } catch (StorageException e) {
                throw failedAt(oids[i], oids.length, e);
            }
        }
        return found;
    }

    /**
     * The failure of a batch of {@code batchSize} oids at {@code oid}: of the same kind as {@code e} (damage
     * stays a {@link CorruptStorageException}), its message naming the oid before {@code e}'s own, which says
     * the remedy.
     */
    static StorageException failedAt(long oid, int batchSize, StorageException e) {
        String message = "cannot load oid " + oid + (batchSize > 1 ? " (one of " + batchSize + " in one batch)" : "")
                + ": " + e.getMessage();
        return e instanceof CorruptStorageException ? new CorruptStorageException(message, e)
                : new StorageException(message, e);
    }
}
