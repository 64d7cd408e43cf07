package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jodb.internal.object.ObjectStatus;
import org.jodb.internal.object.PersistentObject;
import org.jodb.spi.StorageException;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Connection#prefetch}: the ghosts among the objects given are loaded in one storage call and become up
 * to date, not changed; everything else is left alone; a failing storage leaves them ghosts.
 */
class PrefetchTest {
    private static final int ACCOUNTS = 20;

    private CountingStorage storage;
    private Database db;

    /** Accounts a0..a19 with balances 0..19 under the root, committed. */
    @BeforeEach
    void fill() {
        storage = new CountingStorage();
        db = Database.open(storage);
        TransactionManager tm = new TransactionManager(false);
        Connection conn = db.open(tm);
        for (int i = 0; i < ACCOUNTS; i++) {
            conn.root().put("a" + i, conn.create(Account.class, "a" + i, (long) i));
        }
        tm.commit();
        conn.close();
    }

    /** A connection of a fresh database on the same storage: nothing cached, its root loaded. */
    private Connection cold(TransactionManager tm) {
        Connection conn = Database.open(storage).open(tm);
        conn.root().size();
        storage.resetCounts();
        conn.resetTransferCounts();
        return conn;
    }

    private static List<Account> accounts(Connection conn) {
        List<Account> all = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            all.add((Account) conn.root().get("a" + i));
        }
        return all;
    }

    private static ObjectStatus status(Object o) {
        return ((PersistentObject) o).$jodbState().status();
    }

    @Test
    void ghostsLoadInOneStorageCallAndBecomeUpToDateNotChanged() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        List<Account> accounts = accounts(conn);
        accounts.forEach(a -> assertEquals(ObjectStatus.GHOST, status(a)));
        long tid = storage.lastTid();

        conn.prefetch(accounts);

        assertEquals(1, storage.batchCalls);
        assertEquals(ACCOUNTS, storage.batchOids);
        assertEquals(0, storage.singleLoads);
        assertEquals(new TransferCounts(ACCOUNTS, 0), conn.transferCounts(), "one load per record");
        for (int i = 0; i < ACCOUNTS; i++) {
            assertEquals(ObjectStatus.CLEAN, status(accounts.get(i)), "loaded, not changed");
            assertEquals(i, accounts.get(i).balance());
        }
        assertEquals(0, storage.singleLoads, "using them loads nothing more");
        tm.commit();
        assertEquals(0, conn.transferCounts().stores(), "a prefetch never makes a commit write");
        assertEquals(tid, storage.lastTid());
    }

    @Test
    void onlyGhostsAreLoadedAndValuesOrUnstoredObjectsAreIgnored() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        List<Account> accounts = accounts(conn);
        Account changed = accounts.get(0);
        changed.deposit(100); // loaded and changed: must keep its change
        Account clean = accounts.get(1);
        clean.balance();
        storage.resetCounts();
        conn.resetTransferCounts();
        Account unsaved = conn.create(Account.class, "new", 5L);
        List<Object> mixed = Arrays.asList(changed, "a string", 42, null, clean, accounts.get(2), unsaved,
                new PersistentMap<String, Object>(), accounts.get(2), accounts.get(3));

        conn.prefetch(mixed);

        assertEquals(1, storage.batchCalls);
        assertEquals(2, storage.batchOids, "the two ghosts, the repeated one once");
        assertEquals(new TransferCounts(2, 0), conn.transferCounts());
        assertEquals(100, changed.balance(), "a changed object is not overwritten");
        assertEquals(ObjectStatus.CLEAN, status(accounts.get(2)));
        assertEquals(3, accounts.get(3).balance());
        assertEquals(ObjectStatus.GHOST, status(accounts.get(4)), "not asked for");

        storage.resetCounts();
        conn.prefetch(List.of(changed, clean, "x"));
        conn.prefetch(List.of());
        assertEquals(0, storage.batchCalls + storage.singleLoads, "no ghost, no storage call");
        tm.commit();
        assertEquals(100, ((Account) cold(new TransactionManager(false)).root().get("a0")).balance());
    }

    @Test
    void anObjectOfAnotherConnectionIsRefusedBeforeAnythingLoads() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        Connection other = Database.open(storage).open(new TransactionManager(false));
        Object foreign = other.root().get("a0");
        Account mine = accounts(conn).get(1);
        storage.resetCounts();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conn.prefetch(List.of(mine, foreign)));

        assertTrue(e.getMessage().contains("another connection") && e.getMessage().contains(Account.class.getName()),
                e.getMessage());
        assertEquals(0, storage.batchCalls, "checked before anything is loaded");
        assertEquals(ObjectStatus.GHOST, status(mine));
        assertEquals(1, mine.balance());
    }

    @Test
    void aPrefetchReadsTheConnectionsSnapshotNotANewerCommit() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        List<Account> accounts = accounts(conn); // the transaction, and its snapshot, began here
        TransactionManager otherTm = new TransactionManager(false);
        Connection other = Database.open(storage).open(otherTm);
        ((Account) other.root().get("a5")).deposit(1000);
        otherTm.commit();

        conn.prefetch(accounts);

        assertEquals(5, accounts.get(5).balance(), "the snapshot's state, not the newer commit's");
        tm.abort();
        assertEquals(1005, accounts.get(5).balance(), "the next transaction sees the commit");
    }

    @Test
    void insideASavepointAndAfterRollbackTheTransactionsOwnStateIsKept() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        List<Account> accounts = accounts(conn);
        Account a = accounts.get(7);
        a.deposit(10); // 17
        Savepoint sp = tm.savepoint();
        conn.cacheMinimize(); // the savepoint's objects may become ghosts: their state is the savepoint's record
        assertEquals(ObjectStatus.GHOST, status(a));
        conn.resetTransferCounts();
        List<Account> firstHalf = accounts.subList(0, ACCOUNTS / 2);
        conn.prefetch(firstHalf);
        assertEquals(17, a.balance(), "filled from the savepoint, not from the snapshot");
        assertEquals(ACCOUNTS / 2 - 1, conn.transferCounts().loads(), "the savepoint's record is not the storage's");
        assertEquals(8, accounts.get(8).balance());

        a.deposit(100); // 117
        sp.rollback(); // back to 17, in place
        assertEquals(ObjectStatus.GHOST, status(accounts.get(ACCOUNTS - 1)));
        assertEquals(ObjectStatus.GHOST, status(accounts.get(8)), "used after the savepoint: its snapshot state again");
        // a, restored to its savepoint record (maybe as a ghost of it), is not read from the storage
        long ghosts = accounts.stream().filter(x -> x != a && status(x) == ObjectStatus.GHOST).count();
        conn.resetTransferCounts();
        conn.prefetch(accounts);
        assertEquals(ghosts, conn.transferCounts().loads(), "the ghosts only");
        assertEquals(ACCOUNTS / 2 + 1, ghosts, "the second half, and the one the rollback ghosted");
        assertEquals(17, a.balance(), "a rollback's restored state is not overwritten");
        assertEquals(8, accounts.get(8).balance());
        conn.cacheMinimize();
        conn.prefetch(accounts);
        assertEquals(17, a.balance(), "nor is it when the cache made it a ghost again");
        tm.commit();
        assertEquals(17, ((Account) cold(new TransactionManager(false)).root().get("a7")).balance());
    }

    @Test
    void aFailingStorageLeavesTheObjectsGhostsAndTheConnectionUsable() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = cold(tm);
        List<Account> accounts = accounts(conn);
        storage.failReads = true;

        StorageException e = assertThrows(StorageException.class, () -> conn.prefetch(accounts));

        assertTrue(e.getMessage().contains("the test made the storage fail"), e.getMessage());
        accounts.forEach(a -> assertEquals(ObjectStatus.GHOST, status(a), "nothing half-filled"));
        assertEquals(0, conn.transferCounts().loads(), "nothing was read");
        storage.failReads = false;
        conn.prefetch(accounts);
        assertEquals(12, accounts.get(12).balance());
        accounts.get(12).deposit(1);
        tm.commit();
        assertEquals(13, ((Account) cold(new TransactionManager(false)).root().get("a12")).balance());
    }

    @Test
    void aPrefetchFromAnotherThreadThanTheConnectionsIsRefused() throws Exception {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        try {
            // a connection on the owner thread's own manager, in a transaction there
            Connection conn = owner.submit(() -> Database.open(storage).open()).get();
            List<Account> accounts = owner.submit(() -> accounts(conn)).get();
            storage.resetCounts();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> conn.prefetch(accounts));
            assertTrue(e.getMessage().contains("was used from thread"), e.getMessage());
            assertEquals(0, storage.batchCalls, "refused before anything is loaded");
            owner.submit(() -> conn.prefetch(accounts)).get();
            assertEquals(1, storage.batchCalls, "the owner's own prefetch goes on");
            owner.submit(() -> {
                conn.transactionManager().abort();
                conn.close();
            }).get();
        } finally {
            owner.shutdownNow();
        }
    }

    @Test
    void aClosedConnectionRefusesAPrefetch() {
        Connection conn = cold(new TransactionManager(false));
        List<Account> accounts = accounts(conn);
        conn.transactionManager().abort();
        conn.close();
        assertThrows(IllegalStateException.class, () -> conn.prefetch(accounts));
    }
}
