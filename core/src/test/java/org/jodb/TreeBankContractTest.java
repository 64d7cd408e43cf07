package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jodb.spi.Storage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bank with its accounts as entries of one {@link PersistentTreeMap} (account name to balance, in
 * buckets of 8): writer threads move money with retries, transfers between accounts of one bucket merge,
 * and reader threads sum every balance in their own snapshots. Every sum equals the total. Public for the
 * storage module, which runs it on the file storage.
 */
public abstract class TreeBankContractTest {
    private Database db;

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

    @Test
    @SuppressWarnings("unchecked")
    void transfersBetweenAccountsOfOneTreeKeepEverySnapshotConsistent() throws Exception {
        int accounts = 40;
        int writers = 6;
        int transfersEach = 30;
        TransactionManager setup = new TransactionManager(false);
        Connection conn = db.open(setup);
        PersistentTreeMap<String, Long> bank = new PersistentTreeMap<>(null, 8, 4);
        for (int i = 0; i < accounts; i++) {
            bank.put(String.format("acct%02d", i), 100L);
        }
        conn.root().put("bank", bank);
        setup.commit();
        conn.close();
        long total = 100L * accounts;
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger sums = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            int seed = t;
            threads.add(new Thread(() -> {
                TransactionManager tm = new TransactionManager(false);
                Connection c = db.open(tm);
                Random random = new Random(seed);
                try {
                    for (int n = 0; n < transfersEach; n++) {
                        String from = String.format("acct%02d", random.nextInt(accounts));
                        String to = String.format("acct%02d", random.nextInt(accounts));
                        tm.run(200, () -> {
                            Map<String, Long> b = (Map<String, Long>) c.root().get("bank");
                            b.put(from, b.get(from) - 1);
                            b.put(to, b.get(to) + 1);
                            return null;
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
        for (int r = 0; r < 2; r++) {
            threads.add(new Thread(() -> {
                TransactionManager tm = new TransactionManager(false);
                Connection c = db.open(tm);
                try {
                    while (writing.get()) {
                        tm.begin();
                        long sum = 0;
                        for (long balance : ((Map<String, Long>) c.root().get("bank")).values()) {
                            sum += balance;
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
        threads.forEach(Thread::start);
        for (Thread t : threads.subList(0, writers)) {
            t.join();
        }
        writing.set(false);
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(errors.isEmpty(), () -> "failures: " + errors);
        assertEquals(writers * transfersEach, committed.get());
        assertTrue(sums.get() > 0);
        TransactionManager check = new TransactionManager(false);
        Map<String, Long> b = (Map<String, Long>) db.open(check).root().get("bank");
        assertEquals(accounts, b.size());
        assertEquals(total, b.values().stream().mapToLong(Long::longValue).sum());
        check.abort();
    }
}
