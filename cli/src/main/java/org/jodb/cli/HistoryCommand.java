package org.jodb.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.jodb.Database;
import org.jodb.spi.RevisionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jodb history STORE OID}: an object's revisions, newest first, with the transaction of each (what
 * {@code Storage.history} answers, read here from the log without opening the store; a store named by URL answers it itself).
 */
@Command(name = "history", description = {
        "Lists an object's revisions newest first: tid, time (UTC), user, note and the record's size."})
final class HistoryCommand extends StoreCommand implements Callable<Integer> {

    @Parameters(index = "1", paramLabel = "OID", description = "The object's oid (0 is the root).")
    String oidText;

    @Override
    public Integer call() {
        long oid = Ids.parse("oid", oidText);
        if (StoreUrl.isUrl(storeName)) {
            return historyOf(StoreUrl.of(storeName), oid);
        }
        StoreDir store = StoreDir.of(storeName);
        try (LogScan scan = scanForReading(store)) {
            List<LogScan.Rev> revs = scan.revisions.get(oid);
            if (revs == null) {
                throw Text.unknownOid(store, scan, oid);
            }
            out().println("oid " + oid + ": " + revs.size() + (revs.size() == 1 ? " revision" : " revisions")
                    + (revs.get(0).prev() == -1 ? " (older ones were removed by pack)" : ""));
            for (int i = revs.size() - 1; i >= 0; i--) {
                LogScan.Rev r = revs.get(i);
                LogScan.Txn t = Text.transactionOf(scan, r.tid());
                out().println("tid " + Ids.tid(r.tid()) + "  " + (t == null ? "?" : Times.format(t.timeMillis()))
                        + "  user " + Text.quote(t == null ? "" : t.user()) + "  note "
                        + Text.quote(t == null ? "" : t.note()) + "  " + r.length() + " bytes");
            }
        }
        return Jodb.OK;
    }

    /** The history of an object of a storage opened by URL, through {@code Storage.history}. */
    private int historyOf(StoreUrl url, long oid) {
        try (Database db = url.openDatabase()) {
            List<RevisionInfo> revs = db.storage().history(oid, Integer.MAX_VALUE);
            if (revs.isEmpty()) {
                throw new UserError("no object has oid " + oid + " in " + url + ". `jodb log " + url + "` lists the"
                        + " oids each transaction wrote.");
            }
            out().println("oid " + oid + ": " + revs.size() + (revs.size() == 1 ? " revision" : " revisions"));
            for (RevisionInfo r : revs) {
                out().println("tid " + Ids.tid(r.tid()) + "  " + Times.format(r.timeMillis()) + "  user "
                        + Text.quote(r.user()) + "  note " + Text.quote(r.note()) + "  " + r.size() + " bytes");
            }
        }
        return Jodb.OK;
    }
}
