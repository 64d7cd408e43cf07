package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentTreeMap;
import org.jodb.TransferCounts;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Connection.prefetch} and a tree's iteration on the file store, end to end: after a reopen, and at a
 * snapshot that others' commits have passed (the batch goes back through newer revisions).
 */
class MappedFilePrefetchTest {
    private static final int ACCOUNTS = 300;

    @TempDir
    Path dir;

    @Test
    void prefetchedObjectsHoldTheirSnapshotsStateAfterAReopenAndWhileOthersCommit() {
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            PersistentTreeMap<Integer, Account> tree = new PersistentTreeMap<>();
            conn.root().put("accounts", tree);
            for (int i = ACCOUNTS - 1; i >= 0; i--) { // log order is the reverse of key order
                tree.put(i, conn.create(Account.class, "a" + i, (long) i));
                if (i % 50 == 0) {
                    tm.commit();
                }
            }
            tm.commit();
        }
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Connection reader = db.open(tm);
            @SuppressWarnings("unchecked")
            PersistentTreeMap<Integer, Account> tree = (PersistentTreeMap<Integer, Account>) reader.root()
                    .get("accounts");
            List<Account> every = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i += 3) {
                every.add(tree.get(i)); // ghosts: the lookups load the tree's nodes only
            }

            TransactionManager writerTm = new TransactionManager(false);
            Connection writer = db.open(writerTm);
            @SuppressWarnings("unchecked")
            PersistentTreeMap<Integer, Account> seen = (PersistentTreeMap<Integer, Account>) writer.root()
                    .get("accounts");
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < ACCOUNTS; i += 6) {
                    seen.get(i).deposit(1000);
                }
                writerTm.commit();
            }

            reader.resetTransferCounts();
            reader.prefetch(every);
            assertEquals(new TransferCounts(every.size(), 0), reader.transferCounts());
            for (int k = 0; k < every.size(); k++) {
                assertEquals(3L * k, every.get(k).balance(), "the reader's snapshot, not the newer commits");
            }
            assertEquals(new TransferCounts(every.size(), 0), reader.transferCounts(), "nothing loaded one by one");

            tm.abort(); // the next transaction sees the writer's commits
            long sum = 0;
            for (Account a : tree.values()) {
                sum += a.balance();
            }
            long deposits = 2L * 1000 * ((ACCOUNTS + 5) / 6);
            assertEquals((long) ACCOUNTS * (ACCOUNTS - 1) / 2 + deposits, sum);
            tm.commit();
            assertEquals(0, reader.transferCounts().stores(), "a prefetch never makes a commit write");
        }
    }
}
