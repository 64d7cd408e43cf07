package org.jodb.cli;

import java.io.PrintWriter;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What every command has: the STORE argument and the command line's output streams. */
abstract class StoreCommand {
    @Parameters(index = "0", paramLabel = "STORE", description = "The store's directory (the one given to Database.open), or a"
            + " jdbc:postgresql://host:port/db?user=... URL.")
    String storeName;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Progress progress() {
        return Progress.onTerminal(err());
    }

    /**
     * Reads the store's log for a command that only looks: a store another process has open is read too,
     * up to its last complete transaction, and a note on standard error says so.
     */
    LogScan scanForReading(StoreDir store) {
        return scanForReading(store, store.owner());
    }

    /** {@link #scanForReading(StoreDir)} when the caller asked {@link StoreDir#owner()} already. */
    LogScan scanForReading(StoreDir store, StoreDir.Owner owner) {
        boolean live = owner != StoreDir.Owner.NONE;
        if (live) {
            err().println("note: another process has " + store.path + " open; showing the transactions committed"
                    + " so far.");
        }
        LogScan scan = LogScan.of(store, live, progress());
        for (String problem : scan.problems) {
            err().println("warning: " + problem);
        }
        if (!scan.problems.isEmpty()) {
            err().println("warning: the log is damaged; what follows leaves out what could not be read. Run `jodb"
                    + " verify " + store.path + "` for every problem.");
        }
        return scan;
    }
}
