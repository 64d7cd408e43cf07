package org.jodb.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.transaction.Transactions;

/**
 * A child JVM that has a store open, as an application does, while a test runs the command beside it.
 *
 * <p>Modes: {@code mbean} opens the store, registers its MBean and commits twice; {@code plain} does the same
 * without the MBean; {@code try-open} only tries to open it. Each prints one line ({@code ready}, or what the
 * open did) and keeps the store open until its standard input closes.
 */
final class LiveStore implements AutoCloseable {
    final Process process;
    final String firstLine;

    private LiveStore(Process process, String firstLine) {
        this.process = process;
        this.firstLine = firstLine;
    }

    /** Starts the child with this JVM's class path and jodb's JVM flags, and waits for its first line. */
    static LiveStore start(Path dir, String mode) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx96m");
        command.add("-XX:TieredStopAtLevel=1");
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc")
                    || arg.startsWith("-Dchronicle")) {
                command.add(arg); // what the file store needs (the build's jodb.jvm.flags)
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LiveStore.class.getName());
        command.add(dir.toString());
        command.add(mode);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = lines.readLine();
        if (first == null) {
            throw new AssertionError("the child JVM ended before it said anything (exit status " + waitFor(process) + ")");
        }
        return new LiveStore(process, first);
    }

    long pid() {
        return process.pid();
    }

    /** Closes the child's standard input, which makes it close the store and end; waits for that. */
    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        waitFor(process);
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        if (mode.equals("try-open")) {
            try (Database db = Database.open(dir)) {
                System.out.println("opened");
            } catch (RuntimeException e) {
                System.out.println("refused: " + e.getMessage());
            }
            return;
        }
        try (Database db = Database.open(dir)) {
            if (mode.equals("mbean")) {
                db.registerMBean();
            }
            Connection conn = db.open();
            PersistentMap<String, Object> root = conn.root();
            root.put("visits", 1);
            Transactions.commit();
            root.put("visits", 2);
            Transactions.commit();
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // keep the store open until the test closes our input
            }
            conn.close();
        }
    }
}
