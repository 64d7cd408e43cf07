package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jodb.spi.Storage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads, each with its own manager and connection, on one database: what must hold on
 * every storage. Runs against {@code MemoryStorage} here ({@link MemoryBankTest}) and against the file
 * storage in jodb-storage, which gets this class through core's test-jar.
 */
public abstract class BankContractTest {
    protected Database db;

    /** A new, empty storage for one test. */
    protected abstract Storage newStorage();

    @BeforeEach
    void openDatabase() {
        db = Database.open(newStorage());
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    /**
     * Jepsen-style bank: 8 writer threads move money between 20 accounts with retries while 2
     * reader threads sum every balance inside their own transactions. Every sum equals the total; no
     * transfer is lost or applied twice.
     */
    @Test
    void bankTransfersWithRetryKeepEverySnapshotConsistent() throws Exception {
        int accounts = 20;
        int writers = 8;
        int transfersEach = 25;
        TransactionManager setup = new TransactionManager(false);
        Connection conn = db.open(setup);
        PersistentMap<String, Object> root = conn.root();
        for (int i = 0; i < accounts; i++) {
            root.put("acct" + i, conn.create(Account.class, "acct" + i, 100L));
        }
        setup.commit();
        conn.close();
        long total = 100L * accounts;
        Queue errors = new Queue();
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger sums = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            int seed = t;
            threads.add(new Thread(() -> {
                TransactionManager tm = new TransactionManager(false);
                Connection c = db.open(tm);
                java.util.Random random = new java.util.Random(seed);
                try {
                    for (int n = 0; n < transfersEach; n++) {
                        int from = random.nextInt(accounts);
                        int to = random.nextInt(accounts);
                        tm.run(100, () -> {
                            ((Account) c.root().get("acct" + from)).deposit(-1);
                            ((Account) c.root().get("acct" + to)).deposit(1);
                        });
                        committed.incrementAndGet();
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    tm.abort();
                    c.close();
                }
            }));
        }
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(new Thread(() -> {
                TransactionManager tm = new TransactionManager(false);
                Connection c = db.open(tm);
                try {
                    while (writing.get()) {
                        tm.begin();
                        long sum = 0;
                        for (int i = 0; i < accounts; i++) {
                            sum += ((Account) c.root().get("acct" + i)).balance();
                        }
                        tm.abort();
                        if (sum != total) {
                            errors.add(new AssertionError("inconsistent snapshot: sum " + sum));
                        }
                        sums.incrementAndGet();
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    tm.abort();
                    c.close();
                }
            }));
        }
        readers.forEach(Thread::start);
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        writing.set(false);
        for (Thread t : readers) {
            t.join();
        }
        assertTrue(errors.isEmpty(), () -> "failures: " + errors);
        assertEquals(writers * transfersEach, committed.get());
        assertTrue(sums.get() > 0);
        TransactionManager check = new TransactionManager(false);
        Connection c = db.open(check);
        long sum = 0;
        int moves = 0;
        for (int i = 0; i < accounts; i++) {
            Account a = (Account) c.root().get("acct" + i);
            sum += a.balance();
            moves += a.history().size();
        }
        assertEquals(total, sum);
        assertEquals(2 * writers * transfersEach, moves, "every transfer applied exactly once");
        check.abort();
    }

    /** Four threads insert their own keys into one map, one attempt each: a conflict would fail the test. */
    @Test
    void concurrentInsertsFromManyThreadsIntoOneMapNeverConflict() throws Exception {
        TransactionManager tm1 = new TransactionManager(false);
        Connection c1 = db.open(tm1);
        c1.root().put("map", new PersistentMap<String, Integer>(Map.of("seed", 0)));
        tm1.commit();
        int threads = 4;
        int insertsEach = 25;
        Queue errors = new Queue();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + ":";
            running.add(new Thread(() -> {
                TransactionManager tm = new TransactionManager(false);
                Connection c = db.open(tm);
                try {
                    for (int n = 0; n < insertsEach; n++) {
                        int value = n;
                        tm.run(1, () -> {
                            @SuppressWarnings("unchecked")
                            Map<String, Integer> map = (Map<String, Integer>) c.root().get("map");
                            map.put(prefix + value, value);
                        });
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    tm.abort();
                    c.close();
                }
            }));
        }
        running.forEach(Thread::start);
        for (Thread t : running) {
            t.join();
        }
        assertTrue(errors.isEmpty(), () -> "failures: " + errors);
        tm1.begin();
        Map<?, ?> map = (Map<?, ?>) c1.root().get("map");
        assertEquals(1 + threads * insertsEach, map.size());
        assertEquals(24, map.get("t3:24"));
        tm1.abort();
    }

    private static final class Queue extends ConcurrentLinkedQueue<Throwable> {
    }
}
