package org.jodb.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Workload 8: workload 5's writer threads split over two child JVMs ({@link ChildWriters}) on the same
 * database, for a store that several processes share. The children open the store and warm up first (the
 * same transfers for the same time, not counted); once both say they are ready, both are told to go at the
 * same moment, and the rate is their commits summed over the longer of their two runs (JVM start, store open
 * and warm-up are not timed).
 */
final class TwoJvms {
    static final int JVMS = 2;

    private TwoJvms() {
    }

    /** What the children did: the summed tally and the longer child's run in seconds. */
    record Outcome(Transfers.Tally tally, double seconds) {
    }

    static Outcome run(String storeName, Path dir, BenchOptions options, int round) throws IOException,
            InterruptedException {
        int threads = Math.max(1, options.threads() / JVMS);
        int perThread = Math.max(1, options.updates() / (threads * JVMS));
        List<Process> children = new ArrayList<>();
        try {
            for (int i = 0; i < JVMS; i++) {
                children.add(start(storeName, dir, options, threads, perThread, 1_000L * round + 100L * (i + 1)));
            }
            List<BufferedReader> outputs = new ArrayList<>();
            for (Process p : children) {
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8));
                expect(r, "ready", p);
                outputs.add(r);
            }
            for (Process p : children) {
                Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                w.write("go\n");
                w.flush();
            }
            long commits = 0;
            long retries = 0;
            long giveUps = 0;
            long longest = 0;
            for (int i = 0; i < JVMS; i++) {
                String[] done = expect(outputs.get(i), "done", children.get(i)).split(" ");
                commits += Long.parseLong(done[1]);
                retries += Long.parseLong(done[2]);
                giveUps += Long.parseLong(done[3]);
                longest = Math.max(longest, Long.parseLong(done[4]));
            }
            for (Process p : children) {
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("a child JVM of workload 8 did not end cleanly (see its"
                            + " standard error above)");
                }
            }
            return new Outcome(new Transfers.Tally(commits, retries, giveUps), longest / 1e9);
        } finally {
            for (Process p : children) {
                p.destroyForcibly();
            }
        }
    }

    private static Process start(String storeName, Path dir, BenchOptions options, int threads, int perThread,
            long seed) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ChildWriters.class.getName(), storeName, dir.toAbsolutePath().toString(), Integer.toString(threads),
                Integer.toString(perThread), Integer.toString(options.accounts()),
                Integer.toString(options.keysPerUpdate()), Long.toString(seed), Double.toString(options.capSeconds()));
        // the URL, password included, goes by the environment, not the command line other users can read
        pb.environment().put(PostgresServerUrl.VARIABLE, PostgresServerUrl.get());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return pb.start();
    }

    /** The child's next line, which must start with {@code word}. */
    private static String expect(BufferedReader r, String word, Process p) throws IOException {
        String line = r.readLine();
        while (line != null && !line.startsWith(word)) {
            line = r.readLine(); // something the store printed on its own
        }
        if (line == null) {
            throw new IllegalStateException("a child JVM of workload 8 (pid " + p.pid() + ") ended without saying '"
                    + word + "' (its standard error is above)");
        }
        return line;
    }
}
