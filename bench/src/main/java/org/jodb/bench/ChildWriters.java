package org.jodb.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child JVM of workload 8 ({@link TwoJvms}): opens the store the parent names, on the same database and
 * schema, and runs writer threads when told to. It talks to the parent in lines: it prints {@code ready} once
 * the store is open and its writers have warmed up (the same transfers for the same time, not counted), waits
 * for {@code go} on its standard input, runs the transfers for the given time, and
 * prints {@code done <commits> <retries> <give-ups> <nanoseconds from go to the last commit>}. Any failure
 * goes to standard error and ends the JVM with status 1.
 *
 * <p>Arguments: store name, run directory (names the schema), threads, transfers per thread, accounts,
 * accounts per transfer, seed, seconds.
 */
final class ChildWriters {
    private ChildWriters() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length != 8) {
            System.err.println("usage: ChildWriters STORE DIR THREADS PER_THREAD ACCOUNTS KEYS_PER_UPDATE SEED SECONDS"
                    + " (started by the bench for workload 8, not by hand)");
            System.exit(2);
        }
        Store store = Stores.create(args[0]);
        Path dir = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        int perThread = Integer.parseInt(args[3]);
        Transfers transfers = new Transfers(Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        long seed = Long.parseLong(args[6]);
        double seconds = Double.parseDouble(args[7]);
        try {
            store.open(dir, Durability.SYNC);
            // A cold JVM holds the commit lock while it loads and compiles classes, for seconds under load: the
            // same transfers for as long as the measurement warm it up first, as workloads 1-5 warmed up the
            // harness's own JVM before its workload 5.
            long warm = System.nanoTime();
            transfers.concurrently(store, threads, perThread, seed + threads, warm + (long) (seconds * 1e9));
            out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (!"go".equals(line)) {
                throw new IllegalStateException("expected 'go' from the bench, got " + line);
            }
            long t0 = System.nanoTime();
            Transfers.Tally tally = transfers.concurrently(store, threads, perThread, seed,
                    t0 + (long) (seconds * 1e9));
            long elapsed = System.nanoTime() - t0;
            out.println("done " + tally.commits() + " " + tally.retries() + " " + tally.giveUps() + " " + elapsed);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        } finally {
            store.close();
        }
    }
}
