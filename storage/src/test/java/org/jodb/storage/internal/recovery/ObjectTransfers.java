package org.jodb.storage.internal.recovery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.transaction.TransactionManager;
import org.jodb.transaction.TransientException;

/**
 * The {@code objects} mode of {@link CrashWorker}: transfers between {@link CrashAccount}s through the
 * object layer, on {@code threads} writer threads that each have their own {@code TransactionManager(false)}
 * and connection and start at the same moment, so that several threads meet {@code CrashAccount} first
 * together, as a server does when it starts under load. Each transfer is one {@code TransactionManager.run}
 * with up to {@value #ATTEMPTS} attempts; after it returned, the thread prints
 * {@code ACK <from>:<version> <to>:<version>}, the versions the transfer gave both accounts. A transfer that
 * still conflicts after its attempts is not acknowledged. Any other failure prints {@code FAILED <exception>}
 * and halts the process with status 3.
 */
final class ObjectTransfers {
    static final int ATTEMPTS = 10;

    private ObjectTransfers() {
    }

    /** The root key of account {@code i} (0 to {@link CrashWorker#ACCOUNTS} - 1). */
    static String key(int i) {
        return "account" + i;
    }

    static void run(Path dir, StorageOptions.Durability durability, int threads, long seed) throws InterruptedException {
        Database db = Database.open(MappedFileStorage.open(dir, CrashWorker.options(durability)));
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Random random = new Random(seed + 1_000_003L * i);
            Thread t = new Thread(() -> transferForever(db, go, random), "writer-" + i);
            t.start();
            writers.add(t);
        }
        go.countDown();
        for (Thread t : writers) {
            t.join();
        }
    }

    private static void transferForever(Database db, CountDownLatch go, Random random) {
        try {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            go.await();
            while (true) {
                int from = random.nextInt(CrashWorker.ACCOUNTS);
                int to = random.nextInt(CrashWorker.ACCOUNTS);
                if (from == to) {
                    continue;
                }
                long amount = random.nextInt(100);
                int padding = random.nextInt(4) == 0 ? random.nextInt(3000) : 0;
                long[] versions;
                try {
                    versions = tm.run(ATTEMPTS, () -> transfer(conn, from, to, amount, padding));
                } catch (TransientException gaveUp) {
                    continue; // not committed, not acknowledged
                }
                synchronized (System.out) {
                    System.out.println("ACK " + from + ":" + versions[0] + " " + to + ":" + versions[1]);
                    System.out.flush();
                }
            }
        } catch (Throwable e) {
            synchronized (System.out) {
                System.out.println("FAILED " + e + " at " + Arrays.toString(Arrays.copyOf(e.getStackTrace(), 12)));
                System.out.flush();
            }
            Runtime.getRuntime().halt(3); // at once: no shutdown hook closes the store under the other writers
        }
    }

    /** One transfer; creates the accounts first if the store has none. Returns both accounts' new versions. */
    private static long[] transfer(Connection conn, int from, int to, long amount, int padding) {
        Map<String, Object> root = conn.root();
        if (!root.containsKey(key(0))) {
            for (int i = 0; i < CrashWorker.ACCOUNTS; i++) {
                root.put(key(i), conn.create(CrashAccount.class, CrashWorker.START_BALANCE));
            }
        }
        CrashAccount a = (CrashAccount) root.get(key(from));
        CrashAccount b = (CrashAccount) root.get(key(to));
        a.add(-amount, padding);
        b.add(amount, 0);
        return new long[] {a.version(), b.version()};
    }
}
