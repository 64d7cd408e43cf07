package org.jodb.cli.browse;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.jodb.cli.Jodb;
import org.jodb.cli.ScannedStoreLog;
import org.jodb.cli.UrlStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jodb browse STORE [--port P]}: serves a read-only web view of a store on 127.0.0.1 until interrupted,
 * printing the address first. Each page reads the log afresh without the store's lock, so an application may
 * open, write and close the store meanwhile. A STORE named by URL is opened once and read through the storage
 * SPI for each page; it is closed when the server stops.
 */
@Command(name = "browse", description = {
        "Serves a read-only web view of a store on 127.0.0.1.",
        "Serves a read-only web view of a store on 127.0.0.1 until interrupted (Ctrl-C): the root, any object with"
                + " its fields and references as links, its history with a diff between revisions, the transaction"
                + " log, and search by oid and class name. Each page shows one snapshot (the newest when asked, or"
                + " the tid in its address) and says which in its footer. The store's lock is never taken: an"
                + " application may have the store open, and pages show the transactions it committed. STORE may be"
                + " a jdbc:postgresql://... URL: the storage stays open while the server runs."})
public final class BrowseCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8080;

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's directory or URL (the one given to Database.open).")
    String storeName;

    @Option(names = "--port", paramLabel = "P", description = "The port to serve at (default " + DEFAULT_PORT
            + "; 0 picks a free one).")
    int port = DEFAULT_PORT;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            return fail(err, "bad port " + port + ": give 1 to 65535, or 0 for a free one.");
        }
        if (UrlStore.isUrl(storeName)) {
            UrlStore store;
            try {
                store = UrlStore.open(storeName);
            } catch (RuntimeException e) {
                return fail(err, e.getMessage());
            }
            try (store) {
                return serve(out, err, store.shown(), () -> BrowseServer.start(port, store::read));
            }
        }
        Path store;
        try {
            store = ScannedStoreLog.checkStore(storeName);
        } catch (RuntimeException e) {
            return fail(err, e.getMessage());
        }
        return serve(out, err, store.toString(), () -> BrowseServer.start(store, port, ScannedStoreLog::read));
    }

    /** Starts the server, says where, and serves until interrupted. */
    private static int serve(PrintWriter out, PrintWriter err, String shown, Supplier<BrowseServer> start) {
        BrowseServer server;
        try {
            server = start.get();
        } catch (IllegalStateException e) {
            return fail(err, e.getMessage());
        }
        try (server) {
            out.println("jodb browse: serving " + shown + " read-only at " + server.url() + " (Ctrl-C stops it)");
            out.flush();
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped by the caller: the server closes on the way out
        }
        return Jodb.OK;
    }

    private static int fail(PrintWriter err, String message) {
        err.println("jodb browse: " + message);
        err.flush();
        return Jodb.FAILED;
    }
}
