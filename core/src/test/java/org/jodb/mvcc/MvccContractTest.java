package org.jodb.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jodb.Account;
import org.jodb.ConflictException;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.internal.object.Session;
import org.jodb.spi.Storage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots of connections on several threads, against packs, tiny caches and conflicts: what must hold
 * on every storage. Runs on {@code MemoryStorage} here ({@link MemoryMvccTest}) and on the file storage in
 * jodb-storage, which gets this class through core's test-jar.
 */
public abstract class MvccContractTest {
    private static final int ACCOUNTS = 8;
    private static final long START = 100;

    protected Database db;

    /** A new, empty storage for one test. */
    protected abstract Storage newStorage();

    @BeforeEach
    void openDatabase() {
        db = Database.open(newStorage());
        TransactionManager tm = new TransactionManager();
        Connection c = db.open(tm);
        for (int i = 0; i < ACCOUNTS; i++) {
            c.root().put("acct" + i, c.create(Account.class, "acct" + i, START));
        }
        tm.commit();
        c.close();
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    private static Account account(Connection c, int i) {
        return (Account) c.root().get("acct" + i);
    }

    private static long sum(Connection c) {
        long sum = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            sum += account(c, i).balance();
        }
        return sum;
    }

    /**
     * A transaction that read some objects before a pack reads the rest after it, at its old snapshot: pack
     * keeps what open connections' snapshots need (before, a MemoryStorage reader failed with a
     * StorageException that no retry loop treats as transient).
     */
    @Test
    void packKeepsTheSnapshotOfAnOpenTransactionReadable() {
        TransactionManager w = new TransactionManager(), r = new TransactionManager();
        Connection writer = db.open(w), reader = db.open(r);
        r.begin();
        assertEquals(START, account(reader, 0).balance());
        account(writer, 0).deposit(-10);
        account(writer, 1).deposit(10);
        w.commit();
        account(writer, 1).deposit(5);
        w.commit();
        db.pack();
        assertEquals(START, account(reader, 1).balance(), "the reader's snapshot, after pack");
        assertEquals(START * ACCOUNTS, sum(reader));
        r.abort();
        assertEquals(START + 15, account(reader, 1).balance(), "a new transaction sees the commits");
        r.abort();
    }

    /**
     * An implicit-mode connection between transactions reads its next transaction at the snapshot its last
     * one ended with: pack keeps what that needs, and its begin() (or closing it) lets a later pack drop it.
     */
    @Test
    void anIdleConnectionKeepsItsSnapshotUntilItBegins() {
        TransactionManager w = new TransactionManager(), idle = new TransactionManager();
        Connection writer = db.open(w), other = db.open(idle);
        assertEquals(START, account(other, 0).balance());
        idle.abort();
        writer.root().put("gone", writer.create(Account.class, "gone", 1L));
        w.commit();
        long oid = Session.oidOf(writer.root().get("gone")).getAsLong();
        writer.root().remove("gone");
        account(writer, 0).deposit(1);
        w.commit();
        db.pack();
        assertEquals(START, account(other, 0).balance(), "the idle connection's next transaction, after pack");
        idle.abort();
        db.pack();
        assertNull(db.storage().load(oid), "once no snapshot reaches it, pack removes the unreachable object");
        assertEquals(START + 1, account(other, 0).balance());
    }

    /** A historical connection keeps reading its tid across a pack while it is open. */
    @Test
    void packKeepsWhatAnOpenHistoricalConnectionReads() {
        TransactionManager w = new TransactionManager(), h = new TransactionManager();
        Connection writer = db.open(w);
        long before = db.storage().lastTid();
        account(writer, 3).deposit(7);
        w.commit();
        Connection past = db.openAt(h, before);
        account(writer, 3).deposit(7);
        w.commit();
        db.pack();
        assertEquals(START, account(past, 3).balance());
        account(past, 3).deposit(1);
        assertThrows(IllegalStateException.class, h::commit, "a historical connection is read-only");
        h.abort();
        assertEquals(START, account(past, 3).balance(), "after abort, still the old state");
        past.close();
    }

    /**
     * A historical connection at a tid an earlier pack passed is refused when it is opened, naming the tid,
     * the oldest snapshot the storage keeps and the remedy (before, it opened and its first read failed
     * with advice to start a new transaction, which cannot move a historical snapshot). At that oldest
     * snapshot it opens and reads.
     */
    @Test
    void openAtATidAnEarlierPackPassedIsRefused() {
        TransactionManager w = new TransactionManager();
        Connection writer = db.open(w);
        long before = db.storage().lastTid();
        assertEquals(Storage.NO_TID, db.storage().oldestSnapshot(), "no pack yet");
        account(writer, 2).deposit(5);
        w.commit();
        account(writer, 2).deposit(5);
        w.commit();
        writer.close();
        db.pack();
        long oldest = db.storage().oldestSnapshot();
        assertTrue(oldest > before, "pack passed " + before + ": oldest " + oldest);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> db.openAt(new TransactionManager(), before));
        assertTrue(e.getMessage().contains("tid " + before) && e.getMessage().contains("tid " + oldest + ". Open at tid "
                + oldest + " or later"), e.getMessage());
        TransactionManager h = new TransactionManager();
        Connection at = db.openAt(h, oldest);
        assertEquals(START + 10, account(at, 2).balance());
        at.close();
    }

    /**
     * A pack the database does not know of (a second Database on the same storage packs without seeing
     * this one's connections) passes an open historical connection's snapshot: its next read fails naming
     * the historical snapshot and the oldest one kept, not advising a new transaction.
     */
    @Test
    void aHistoricalConnectionWhoseSnapshotAPackPassedSaysSo() {
        TransactionManager w = new TransactionManager(), h = new TransactionManager();
        Connection writer = db.open(w);
        long before = db.storage().lastTid();
        Connection past = db.openAt(h, before);
        account(writer, 4).deposit(3);
        w.commit();
        writer.close();
        Database.open(db.storage()).pack(); // not closed: it would close the shared storage
        long oldest = db.storage().oldestSnapshot();
        org.jodb.spi.StorageException e = assertThrows(org.jodb.spi.StorageException.class,
                () -> account(past, 4).balance());
        assertTrue(e.getMessage().startsWith("this historical connection reads as of tid " + before + ", which a pack"
                + " has since passed: the oldest snapshot storage " + db.storage().name() + " keeps is tid " + oldest),
                e.getMessage());
        h.abort();
        past.close();
    }

    /**
     * Writers move money between accounts on their own threads and connections while readers sum every
     * balance (each sum in one transaction, with a tiny cache that turns objects into ghosts between
     * reads, and a cacheMinimize half way) and one thread packs again and again. Every sum is the total; no
     * read fails.
     */
    @Test
    void transfersReadsAndPacksOnManyThreadsKeepEverySnapshotConsistent() throws Exception {
        int writers = 3;
        int readers = 2;
        int transfersEach = 40;
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger writersLeft = new AtomicInteger(writers);
        AtomicInteger sums = new AtomicInteger();
        AtomicInteger packs = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(writers + readers + 1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            long seed = t;
            threads.add(new Thread(() -> {
                try {
                    TransactionManager tm = new TransactionManager();
                    Connection c = db.open(tm);
                    Random random = new Random(seed);
                    start.await();
                    for (int i = 0; i < transfersEach; i++) {
                        int from = random.nextInt(ACCOUNTS);
                        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        long amount = 1 + random.nextInt(5);
                        tm.run(100, () -> {
                            account(c, from).deposit(-amount);
                            account(c, to).deposit(amount);
                        });
                    }
                    c.close();
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    writersLeft.decrementAndGet();
                }
            }));
        }
        for (int t = 0; t < readers; t++) {
            threads.add(new Thread(() -> {
                try {
                    TransactionManager tm = new TransactionManager();
                    Connection c = db.open(tm);
                    c.setCacheSize(1);
                    start.await();
                    while (writersLeft.get() > 0 || sums.get() < 4) {
                        tm.begin();
                        long sum = 0;
                        for (int i = 0; i < ACCOUNTS; i++) {
                            sum += account(c, i).balance();
                            if (i == ACCOUNTS / 2) {
                                tm.savepoint(); // the cache's gc runs at a savepoint
                                c.cacheMinimize();
                            }
                        }
                        tm.abort();
                        if (sum != START * ACCOUNTS) {
                            errors.add(new AssertionError("torn read: sum " + sum));
                        }
                        sums.incrementAndGet();
                    }
                    c.close();
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.start();
        }
        start.await();
        do {
            db.pack();
            packs.incrementAndGet();
        } while (writersLeft.get() > 0);
        for (Thread t : threads) {
            t.join(60_000);
        }
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError(errors.size() + " failures, first: " + errors.peek());
            errors.forEach(failure::addSuppressed);
            throw failure;
        }
        TransactionManager tm = new TransactionManager();
        Connection c = db.open(tm);
        assertEquals(START * ACCOUNTS, sum(c));
        assertTrue(sums.get() >= 4 && packs.get() >= 1);
    }

    /**
     * Two threads change one account from one snapshot: exactly one commit wins; the other gets a
     * ConflictException, and after its abort sees the winner's change and can apply its own.
     */
    @Test
    void theLoserOfAConflictSeesTheWinnerAfterAbortAndRetries() throws Exception {
        CyclicBarrier read = new CyclicBarrier(2);
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger conflicts = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            long amount = t == 0 ? 1 : 10;
            threads.add(new Thread(() -> {
                try {
                    TransactionManager tm = new TransactionManager();
                    Connection c = db.open(tm);
                    tm.begin();
                    Account a = account(c, 0);
                    a.deposit(amount);
                    read.await(); // both changed it from the same snapshot
                    try {
                        tm.commit();
                    } catch (ConflictException e) {
                        conflicts.incrementAndGet();
                        tm.abort();
                        long seen = a.balance();
                        if (seen != START + 11 - amount) {
                            errors.add(new AssertionError("after abort the loser sees " + seen));
                        }
                        a.deposit(amount);
                        tm.commit();
                    }
                    c.close();
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertTrue(errors.isEmpty(), () -> errors.toString());
        assertEquals(1, conflicts.get());
        TransactionManager tm = new TransactionManager();
        assertEquals(START + 11, account(db.open(tm), 0).balance());
    }

    /**
     * Threads insert distinct keys into one PersistentMap through their own connections: the merges lose
     * no key, and each thread's own later reads see all of its keys.
     */
    @Test
    void concurrentInsertsIntoOneMapMergeWithoutLoss() throws Exception {
        TransactionManager setup = new TransactionManager();
        Connection s = db.open(setup);
        s.root().put("map", new PersistentMap<String, Integer>());
        setup.commit();
        s.close();
        int threadsCount = 3;
        int each = 30;
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(threadsCount);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < threadsCount; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                try {
                    TransactionManager tm = new TransactionManager();
                    Connection c = db.open(tm);
                    start.await();
                    for (int i = 0; i < each; i++) {
                        int n = i;
                        tm.run(50, () -> {
                            @SuppressWarnings("unchecked")
                            PersistentMap<String, Integer> m = (PersistentMap<String, Integer>) c.root().get("map");
                            m.put(id + ":" + n, n);
                        });
                    }
                    tm.begin();
                    @SuppressWarnings("unchecked")
                    PersistentMap<String, Integer> m = (PersistentMap<String, Integer>) c.root().get("map");
                    for (int i = 0; i < each; i++) {
                        if (!Integer.valueOf(i).equals(m.get(id + ":" + i))) {
                            errors.add(new AssertionError("thread " + id + " lost key " + i));
                        }
                    }
                    tm.abort();
                    c.close();
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertTrue(errors.isEmpty(), () -> errors.toString());
        TransactionManager tm = new TransactionManager();
        assertEquals(threadsCount * each, ((PersistentMap<?, ?>) db.open(tm).root().get("map")).size());
    }
}
