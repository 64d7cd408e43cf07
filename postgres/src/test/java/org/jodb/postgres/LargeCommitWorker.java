package org.jodb.postgres;

import java.nio.charset.StandardCharsets;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;

/**
 * The child process of {@link LargeCommitTest}: commits one transaction of {@code count} new objects, each
 * record {@link #record(long)} of its oid, through the storage alone, in a JVM whose heap is too small to hold
 * the records, and prints {@code COMMITTED <tid> <first oid> <last oid>}.
 *
 * <p>Arguments: the URL, the number of objects.
 */
public final class LargeCommitWorker {
    private LargeCommitWorker() {
    }

    /** The record of object {@code oid}: small, and different for every oid. */
    static byte[] record(long oid) {
        return ("object " + oid + " of a large transaction").getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) {
        String url = args[0];
        int count = Integer.parseInt(args[1]);
        try (PostgresStorage storage = PostgresStorage.open(url, PostgresOptions.defaults().withOidBlock(10_000))) {
            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("large", "one transaction of "
                    + count + " objects"), ConflictResolver.NONE);
            long first = -1;
            long last = -1;
            for (int i = 0; i < count; i++) {
                long oid = storage.newOid();
                first = first < 0 ? oid : first;
                last = oid;
                txn.store(oid, Storage.NO_TID, record(oid));
            }
            txn.vote();
            long tid = txn.finish();
            System.out.println("COMMITTED " + tid + " " + first + " " + last);
        }
    }
}
