package org.jodb.postgres;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.spi.StorageException;
import org.jodb.transaction.TransactionManager;

/**
 * The child process of {@link MultiJvmTest}: writer threads that move money between the accounts and count
 * their own commits on an account of their own, and a reader that sums every balance in every snapshot. It
 * prints one line per event on stdout ({@code ACK <writer> <n>} after the n-th commit returned, {@code BAD}
 * on a wrong sum, {@code DOWN <message>} for a failure while the server is away) and stops when its stdin
 * closes or says {@code stop}.
 *
 * <p>Arguments: the URL, this child's number, the number of writer threads, the number of accounts, the total.
 */
public final class TransferWorker {
    private TransferWorker() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int child = Integer.parseInt(args[1]);
        int writers = Integer.parseInt(args[2]);
        int accounts = Integer.parseInt(args[3]);
        long total = Long.parseLong(args[4]);
        AtomicBoolean running = new AtomicBoolean(true);
        Database db = Database.open(url);
        Thread[] threads = new Thread[writers + 1];
        for (int w = 0; w < writers; w++) {
            String writer = "w" + child + "_" + w;
            Random random = new Random(child * 100L + w);
            threads[w] = new Thread(() -> {
                TransactionManager tm = new TransactionManager(false);
                Connection c = db.open(tm);
                long n = 0;
                while (running.get()) {
                    int from = random.nextInt(accounts);
                    int to = random.nextInt(accounts);
                    try {
                        tm.run(1000, () -> {
                            ((Account) c.root().get("acct" + from)).deposit(-1);
                            ((Account) c.root().get("acct" + to)).deposit(1);
                            ((Account) c.root().get(writer)).deposit(1);
                        });
                        n++;
                        say("ACK " + writer + " " + n);
                    } catch (StorageException e) {
                        say("DOWN " + e.getMessage().replace('\n', ' '));
                        pause();
                    } catch (RuntimeException e) {
                        say("DOWN " + e);
                        pause();
                    }
                }
                tm.abort();
            });
        }
        threads[writers] = new Thread(() -> {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            while (running.get()) {
                try {
                    tm.begin();
                    long sum = 0;
                    for (int i = 0; i < accounts; i++) {
                        sum += ((Account) c.root().get("acct" + i)).balance();
                    }
                    tm.abort();
                    say(sum == total ? "SUM" : "BAD " + sum);
                } catch (RuntimeException e) {
                    tm.abort();
                    say("DOWN " + e.toString().replace('\n', ' '));
                    pause();
                }
            }
        });
        for (Thread t : threads) {
            t.start();
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null && !line.equals("stop")) {
            // wait for the parent
        }
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        db.close();
        say("DONE");
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
