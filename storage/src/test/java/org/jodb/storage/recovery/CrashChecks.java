package org.jodb.storage.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.Storage;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;

/** What every reopen after a killed {@link CrashWorker} must show. */
final class CrashChecks {

    private CrashChecks() {
    }

    /**
     * Reopens the store in {@code dir} and asserts that every account is there with all the money, and that
     * every acknowledged commit is: those after {@code packedUpTo} are listed by {@code transactionsAfter};
     * older ones a pack may have dropped (it keeps no transaction at or before packTid whose every revision a
     * later one replaced), and since the log only ever loses a suffix, they are there if the newest tid is at
     * least theirs. Without packs, pass {@link Long#MIN_VALUE}.
     */
    static void assertMoneyAndAcknowledgedCommits(Path dir, String context, Set<Long> acknowledged, long packedUpTo) {
        try (MappedFileStorage storage = MappedFileStorage.open(dir, CrashWorker.options(StorageOptions.Durability.SYNC))) {
            long total = 0;
            for (long oid = 1; oid <= CrashWorker.ACCOUNTS; oid++) {
                assertNotNull(storage.load(oid), context + ": account " + oid + " missing");
                total += CrashWorker.balance(storage.load(oid));
            }
            assertEquals(CrashWorker.ACCOUNTS * CrashWorker.START_BALANCE, total, context + ": money changed");
            Set<Long> present = new HashSet<>();
            for (CommittedTransaction txn : storage.transactionsAfter(Storage.NO_TID)) {
                present.add(txn.tid());
            }
            for (long tid : acknowledged) {
                assertTrue(tid <= storage.lastTid(), context + ": acknowledged commit " + tid + " is after the log's"
                        + " end (" + storage.lastTid() + ")");
                assertTrue(tid <= packedUpTo || present.contains(tid), context + ": acknowledged commit " + tid
                        + " was lost");
            }
        }
    }
}
