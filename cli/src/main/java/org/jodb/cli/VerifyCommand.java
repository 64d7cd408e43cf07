package org.jodb.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.jodb.Database;
import picocli.CommandLine.Command;

/**
 * {@code jodb verify STORE}: reads every transaction and record, checks every CRC, every reference and the
 * index against the log, and changes nothing. Exit status 0 when everything holds, 1 with each problem
 * named when not.
 */
@Command(name = "verify", description = {
        "Checks every record, reference and the index; changes nothing.",
        "Checks a store without changing it: every transaction record and data record against its CRC32C, the",
        "chain of transactions, that every reference in every record resolves to an object that exists at that",
        "revision, and that the oid index agrees with the log. Prints each problem with its file, offset, oid",
        "and tid, then a summary. Exit status 0 when all holds, 1 when a problem was found, 2 when the store",
        "cannot be read. Takes the store's lock while it reads: a store another process has open is refused.",
        "On a storage named by URL: every transaction and record readable, every reference resolving (the file",
        "checks do not apply)."})
final class VerifyCommand extends StoreCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        if (StoreUrl.isUrl(storeName)) {
            return verifyOf(StoreUrl.of(storeName));
        }
        StoreDir store = StoreDir.of(storeName);
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        LogScan scan;
        try (AutoCloseable lock = store.lock("verify")) {
            scan = LogScan.of(store, false, progress());
            try {
                problems.addAll(scan.problems);
                ReferenceCheck.run(scan, problems, progress());
                IndexCheck.run(store, scan, problems, notes);
            } finally {
                scan.close();
            }
        }
        for (String p : problems) {
            out().println("PROBLEM " + p);
        }
        for (String n : notes) {
            out().println("note: " + n);
        }
        long objects = scan.revisions.size();
        String counted = scan.transactions.size() + " transactions, " + scan.records + " records, " + objects
                + " objects";
        if (problems.isEmpty()) {
            out().println("verify " + store.path + ": " + counted + ": no problems");
            return Jodb.OK;
        }
        out().println("verify " + store.path + ": " + counted + ": " + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s"));
        return Jodb.DAMAGED;
    }

    /**
     * Checks a storage opened by URL with what the SPI can check ({@link StorageWalk}): every transaction and
     * record readable, and every reference resolving at its revision. Other processes may commit meanwhile.
     */
    private int verifyOf(StoreUrl url) {
        StorageWalk walk;
        try (Database db = url.openDatabase()) {
            walk = StorageWalk.of(db.storage());
        }
        for (String p : walk.problems) {
            out().println("PROBLEM " + url.withoutSecrets(p));
        }
        out().println("note: checked through the storage interface (every transaction and record readable, every"
                + " reference resolving at its revision); " + StoreUrl.NOT_A_FILE_STORE + ".");
        String counted = walk.transactions + " transactions, " + walk.records + " records, " + walk.objects.size()
                + " objects";
        int n = walk.problems.size();
        out().println("verify " + url + ": " + counted + ": " + (n == 0 ? "no problems" : n + " problem"
                + (n == 1 ? "" : "s")));
        return n == 0 ? Jodb.OK : Jodb.DAMAGED;
    }
}
