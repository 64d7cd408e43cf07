package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jodb.Account;
import org.jodb.ConflictException;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.spi.DanglingReferenceException;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two storages on one schema stand for two processes (each has its own pool, listener and oid block): what one
 * commits the other sees at its next transaction start, conflicts between them are found at commit, and
 * history, historical connections and pack work across them.
 */
class TwoProcessesTest extends PgSchemas {
    private String schema;
    private Database first;
    private Database second;

    @BeforeEach
    void open() {
        schema = schema("two");
        // polls ask the server, so that a commit that returned is seen at once by the other's next transaction
        PostgresOptions strict = PostgresOptions.defaults().withPollsAskingTheServer(true);
        first = Database.open(PostgresStorage.open(server.url(schema), strict));
        second = Database.open(PostgresStorage.open(server.url(schema), strict));
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
    }

    @Test
    void eachSeesTheOthersCommitsAtItsNextTransactionStart() {
        TransactionManager a = new TransactionManager(false);
        TransactionManager b = new TransactionManager(false);
        Connection ca = first.open(a);
        Connection cb = second.open(b);
        a.begin();
        ca.root().put("from first", "one");
        a.commit();

        b.begin();
        assertEquals("one", cb.root().get("from first"));
        cb.root().put("from second", "two");
        b.commit();

        a.begin();
        assertEquals("two", ca.root().get("from second"));
        a.commit();
        ca.close();
        cb.close();
    }

    @Test
    void aSnapshotDoesNotMoveUntilTheNextTransaction() {
        TransactionManager a = new TransactionManager(false);
        TransactionManager b = new TransactionManager(false);
        Connection ca = first.open(a);
        Connection cb = second.open(b);
        a.begin();
        ca.root().put("k", "v1");
        a.commit();

        b.begin();
        assertEquals("v1", cb.root().get("k"));
        a.begin();
        ca.root().put("k", "v2");
        a.commit();
        assertEquals("v1", cb.root().get("k"), "the second's transaction keeps its snapshot");
        b.abort();
        b.begin();
        assertEquals("v2", cb.root().get("k"));
        b.commit();
    }

    @Test
    void aConflictingWriteFailsAtCommitAndRunRetriesIt() {
        TransactionManager setup = new TransactionManager(false);
        Connection c = first.open(setup);
        setup.begin();
        c.root().put("acct", c.create(Account.class, "acct", 100L));
        setup.commit();

        TransactionManager a = new TransactionManager(false);
        TransactionManager b = new TransactionManager(false);
        Connection ca = first.open(a);
        Connection cb = second.open(b);
        a.begin();
        b.begin();
        ((Account) ca.root().get("acct")).deposit(10);
        ((Account) cb.root().get("acct")).deposit(20);
        a.commit();
        assertThrows(ConflictException.class, b::commit);

        AtomicInteger attempts = new AtomicInteger();
        b.run(() -> {
            Account acct = (Account) cb.root().get("acct");
            acct.deposit(20);
            if (attempts.incrementAndGet() == 1) {
                // the other process commits after this attempt read: its commit must conflict and be retried
                a.begin();
                ((Account) ca.root().get("acct")).deposit(5);
                a.commit();
            }
        });
        assertEquals(2, attempts.get(), "the first attempt conflicted and run retried it");
        b.begin();
        assertEquals(135L, ((Account) cb.root().get("acct")).balance());
        b.commit();
    }

    @Test
    void writesToDifferentKeysOfOneMapMergeAcrossProcesses() {
        TransactionManager a = new TransactionManager(false);
        TransactionManager b = new TransactionManager(false);
        Connection ca = first.open(a);
        Connection cb = second.open(b);
        a.begin();
        ca.root().put("shared", new PersistentMap<String, Object>());
        a.commit();

        a.begin();
        b.begin();
        @SuppressWarnings("unchecked")
        PersistentMap<String, Object> mapA = (PersistentMap<String, Object>) ca.root().get("shared");
        @SuppressWarnings("unchecked")
        PersistentMap<String, Object> mapB = (PersistentMap<String, Object>) cb.root().get("shared");
        mapA.put("a", 1);
        mapB.put("b", 2);
        a.commit();
        b.commit(); // conflicts on the map's record, merged by its resolver at vote

        a.begin();
        @SuppressWarnings("unchecked")
        PersistentMap<String, Object> merged = (PersistentMap<String, Object>) ca.root().get("shared");
        assertEquals(1, merged.get("a"));
        assertEquals(2, merged.get("b"));
        a.commit();
    }

    @Test
    void oidsAreUniqueAndTidsIncreaseAcrossProcesses() throws Exception {
        Storage one = first.storage();
        Storage two = second.storage();
        Set<Long> oids = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            assertTrue(oids.add(one.newOid()));
            assertTrue(oids.add(two.newOid()));
        }
        List<Long> tids = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Storage s : List.of(one, two, one, two)) {
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 20; i++) {
                        long oid = s.newOid();
                        var txn = s.tpcBegin(null, null);
                        txn.store(oid, Storage.NO_TID, new byte[] {1});
                        txn.vote();
                        long tid = txn.finish();
                        synchronized (tids) {
                            tids.add(tid);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(80, new HashSet<>(tids).size(), "no tid handed out twice");
        List<Long> committed = one.transactionsAfter(Storage.NO_TID).stream().map(t -> t.tid()).toList();
        assertTrue(committed.containsAll(tids));
        for (int i = 1; i < committed.size(); i++) {
            assertTrue(committed.get(i) > committed.get(i - 1));
        }
        assertEquals(two.lastTid(), one.lastTid());
    }

    @Test
    void historyAndOpenAtSeeTheOtherProcessesCommits() {
        TransactionManager a = new TransactionManager(false);
        Connection ca = first.open(a);
        a.begin();
        ca.root().put("k", "v1");
        a.commit();
        long t1 = first.storage().lastTid();
        TransactionManager b = new TransactionManager(false);
        Connection cb = second.open(b);
        b.begin();
        cb.root().put("k", "v2");
        b.commit();

        List<RevisionInfo> history = first.storage().history(Storage.ROOT_OID, 10);
        assertEquals(second.storage().lastTid(), history.get(0).tid());
        assertEquals(t1, history.get(1).tid());
        TransactionManager past = new TransactionManager(false);
        Connection then = first.openAt(past, t1);
        assertEquals("v1", then.root().get("k"));
        past.abort();
        then.close();
    }

    @Test
    void packRunsWhileTheOtherProcessCommits() throws Exception {
        TransactionManager setup = new TransactionManager(false);
        Connection c = first.open(setup);
        setup.begin();
        c.root().put("acct", c.create(Account.class, "acct", 0L));
        c.root().put("garbage", c.create(Account.class, "garbage", 0L));
        setup.commit();
        setup.begin();
        c.root().remove("garbage");
        setup.commit();
        c.close();

        AtomicInteger deposits = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        Thread writer = new Thread(() -> {
            TransactionManager w = new TransactionManager(false);
            Connection cw = second.open(w);
            try {
                for (int i = 0; i < 40; i++) {
                    w.run(() -> ((Account) cw.root().get("acct")).deposit(1));
                    deposits.incrementAndGet();
                }
            } catch (Throwable e) {
                failures.add(e);
            } finally {
                cw.close();
            }
        });
        writer.start();
        for (int i = 0; i < 3; i++) {
            first.pack();
        }
        writer.join();
        assertEquals(List.of(), failures);
        first.pack();
        TransactionManager check = new TransactionManager(false);
        Connection cc = first.open(check);
        check.begin();
        assertEquals(40L, ((Account) cc.root().get("acct")).balance());
        assertNull(cc.root().get("garbage"));
        check.commit();
        assertTrue(first.storage().history(Storage.ROOT_OID, 100).size() <= 2,
                "old revisions of the root are gone: " + first.storage().history(Storage.ROOT_OID, 100));
    }

    @Test
    void anObjectThePackOfOneProcessRemovedCannotBeLinkedAgainByTheOther() {
        TransactionManager setup = new TransactionManager(false);
        Connection c = first.open(setup);
        setup.begin();
        c.root().put("old", c.create(Account.class, "old", 7L));
        setup.commit();
        c.close();

        TransactionManager b = new TransactionManager(false);
        Connection cb = second.open(b);
        b.begin();
        Account held = (Account) cb.root().get("old");
        assertEquals(7L, held.balance());
        b.commit(); // the second process keeps the instance after its transaction

        TransactionManager a = new TransactionManager(false);
        Connection ca = first.open(a);
        a.begin();
        ca.root().remove("old");
        a.commit();
        ca.close();
        first.pack(); // nothing reaches "old" any more: the first process's pack removes it

        b.begin();
        cb.root().put("again", held);
        ConflictException refused = assertThrows(ConflictException.class, b::commit);
        assertInstanceOf(DanglingReferenceException.class, refused.getCause());
        assertTrue(refused.getMessage().contains("pack removed"), refused.getMessage());

        b.begin();
        assertNull(cb.root().get("again"), "nothing of the refused commit was written");
        cb.root().put("again", cb.create(Account.class, "old", held.balance())); // the remedy: a new object
        b.commit();
        b.begin();
        assertEquals(7L, ((Account) cb.root().get("again")).balance());
        b.commit();
        cb.close();
    }
}
