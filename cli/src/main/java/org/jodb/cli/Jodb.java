package org.jodb.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.jodb.spi.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jodb} command: {@code verify}, {@code stats}, {@code log}, {@code history}, {@code dump},
 * {@code pack}, {@code undo}, {@code copy} and {@code browse} on a store directory or a storage URL
 * ({@code jdbc:postgresql://...}). {@link #main} is the jar's entry point; {@link #run} is the same without
 * {@code System.exit}, for tests and scenarios.
 *
 * <p>Exit status: {@link #OK}; {@link #DAMAGED} when {@code verify} found problems; {@link #FAILED} when the
 * command could not do its work (a wrong argument, a missing directory, an unknown oid, a store another
 * process holds), with a message on standard error saying the problem and the remedy.
 */
@Command(name = "jodb", mixinStandardHelpOptions = true, version = "jodb 0.1.0-SNAPSHOT",
        description = "Looks inside a jodb store (a directory given to Database.open, or a jdbc:postgresql: URL),"
                + " checks it, packs it, undoes a transaction, copies it, and browses it in a web view.",
        subcommands = {VerifyCommand.class, StatsCommand.class, LogCommand.class, HistoryCommand.class,
                DumpCommand.class, PackCommand.class, UndoCommand.class, CopyCommand.class,
                org.jodb.cli.browse.BrowseCommand.class})
public final class Jodb {
    public static final int OK = 0;
    public static final int DAMAGED = 1;
    public static final int FAILED = 2;

    private Jodb() {
    }

    public static void main(String[] args) {
        // jodb's warnings (an index rebuilt before pack) go through java.util.logging: one line, no timestamp
        System.getProperties().putIfAbsent("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command with output to the JVM's standard streams; returns its exit status. */
    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    /** Runs one command, printing to {@code out} and {@code err}; returns its exit status. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        System.getProperties().putIfAbsent("chronicle.analytics.disable", "true");
        PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine cl = new CommandLine(Jodb.class);
        cl.setOut(o);
        cl.setErr(e);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("jodb " + line.getCommandName() + ": " + messageOf(ex));
            line.getErr().flush();
            return FAILED;
        });
        cl.setExitCodeExceptionMapper(ex -> FAILED);
        int status = cl.execute(args);
        o.flush();
        e.flush();
        return status;
    }

    private static String messageOf(Exception ex) {
        if (ex instanceof UserError || ex instanceof StorageException) {
            return ex.getMessage();
        }
        return ex + " (an unexpected failure of jodb; please report it with the command that caused it)";
    }
}
