package org.jodb.spi;

import java.util.List;
import java.util.Objects;

/**
 * One committed transaction as {@link Storage#transactions(long)} lists it: what the storage keeps of it and
 * the records it still holds for it, for a copy into another storage.
 *
 * @param info    the transaction's tid, time, user, note and the oids of the records below
 * @param records its records, in the order of {@code info.oids()}, each with {@code tid == info.tid()}; after a
 *                pack, only those the storage still holds
 */
public record TransactionRecords(TransactionInfo info, List<Revision> records) {

    public TransactionRecords {
        Objects.requireNonNull(info, "info");
        records = List.copyOf(Objects.requireNonNull(records, "records"));
    }
}
