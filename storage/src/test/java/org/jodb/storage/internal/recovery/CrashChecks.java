package org.jodb.storage.internal.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.Storage;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.transaction.TransactionManager;

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

    /**
     * Reopens the store of the {@code objects} mode ({@link ObjectTransfers}) through the object layer and
     * asserts that every account is there with all the money, that no transfer is half there (each raises
     * both its accounts' versions by one: their sum is even), and that every acknowledged transfer is: an
     * account's version is at least the highest one acknowledged for it. A transfer that wrote version v
     * of an account is the only one that did (a concurrent writer of the account conflicts), and a later
     * version was written by a transaction that read v, which committed after it; the log only loses a
     * suffix, so version v or a later one being there means that transfer is.
     *
     * @param acknowledged account index to the highest version an acknowledged transfer gave it
     */
    static void assertObjectMoneyAndAcknowledgedTransfers(Path dir, String context, Map<Integer, Long> acknowledged) {
        try (Database db = Database.open(MappedFileStorage.open(dir, CrashWorker.options(StorageOptions.Durability.SYNC)))) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            long total = 0;
            long versions = 0;
            for (int i = 0; i < CrashWorker.ACCOUNTS; i++) {
                CrashAccount account = (CrashAccount) conn.root().get(ObjectTransfers.key(i));
                assertNotNull(account, context + ": account " + i + " missing");
                total += account.balance();
                versions += account.version();
                long acked = acknowledged.getOrDefault(i, 0L);
                assertTrue(account.version() >= acked, context + ": account " + i + " is at version "
                        + account.version() + ", but a transfer that made it version " + acked + " was acknowledged");
            }
            assertEquals(CrashWorker.ACCOUNTS * CrashWorker.START_BALANCE, total, context + ": money changed");
            assertEquals(0, versions % 2, context + ": a transfer is half there (the versions add up to " + versions + ")");
            tm.abort();
            conn.close();
        }
    }
}
