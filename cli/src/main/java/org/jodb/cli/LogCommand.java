package org.jodb.cli;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.jodb.Database;
import org.jodb.spi.Storage;
import org.jodb.spi.TransactionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jodb log STORE}: the transactions, newest first, with their time, user, note and the oids they wrote.
 * Read from the log itself (a read-only walk), so it also works on a store another process has open. A store
 * no process has open is read the same way rather than through {@code Storage.transactionLog}: opening it as a
 * storage would take its lock, so an application starting meanwhile would fail to open it, and might recover
 * a torn tail or rebuild the index, which a command that only looks must not do. A store named by URL is read
 * through {@code Storage.transactionLog}.
 */
@Command(name = "log", description = {
        "Lists transactions newest first: tid, time (UTC), user, note and the oids each wrote."})
final class LogCommand extends StoreCommand implements Callable<Integer> {
    /** Oids listed per transaction before the rest are counted only. */
    static final int OIDS_SHOWN = 20;

    @Option(names = "--since", paramLabel = "TIME", description = "Only transactions committed at or after TIME: "
            + Times.FORMS + ".")
    String since;

    @Option(names = "--user", paramLabel = "U", description = "Only transactions whose user is U (exactly).")
    String user;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "At most N transactions (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new UserError("bad --limit " + limit + ": give a number of transactions of at least 1.");
        }
        long sinceMillis = since == null ? Long.MIN_VALUE : Times.parseMillis("--since", since, Instant.now());
        if (StoreUrl.isUrl(storeName)) {
            return logOf(StoreUrl.of(storeName), sinceMillis);
        }
        StoreDir store = StoreDir.of(storeName);
        try (LogScan scan = scanForReading(store)) {
            int shown = 0;
            for (int i = scan.transactions.size() - 1; i >= 0 && shown < limit; i--) {
                LogScan.Txn t = scan.transactions.get(i);
                if (t.timeMillis() < sinceMillis || (user != null && !user.equals(t.user()))) {
                    continue;
                }
                shown++;
                print(t.tid(), t.timeMillis(), t.user(), t.note(), t.oids());
            }
            printNoneIfNone(shown);
        }
        return Jodb.OK;
    }

    /**
     * The log of a storage opened by URL, through {@link Storage#transactionLog}, a page at a time newest first:
     * a storage shared by several processes is read while they commit, so nothing stops them.
     */
    private int logOf(StoreUrl url, long sinceMillis) {
        try (Database db = url.openDatabase()) {
            Storage storage = db.storage();
            int shown = 0;
            long before = Long.MAX_VALUE;
            while (shown < limit) {
                List<TransactionInfo> page = storage.transactionLog(before, StorageLog.PAGE);
                for (TransactionInfo t : page) {
                    before = t.tid();
                    if (t.timeMillis() < sinceMillis) {
                        printNoneIfNone(shown);
                        return Jodb.OK; // newest first: every older one is older still
                    }
                    if ((user == null || user.equals(t.user())) && shown < limit) {
                        shown++;
                        print(t.tid(), t.timeMillis(), t.user(), t.note(), t.oids());
                    }
                }
                if (page.size() < StorageLog.PAGE) {
                    break;
                }
            }
            printNoneIfNone(shown);
        }
        return Jodb.OK;
    }

    private void print(long tid, long timeMillis, String txnUser, String note, long[] written) {
        out().println("tid " + Ids.tid(tid) + "  " + Times.format(timeMillis) + "  user " + Text.quote(txnUser)
                + "  note " + Text.quote(note));
        out().println("    wrote " + written.length + (written.length == 1 ? " object: " : " objects: ")
                + oids(written));
    }

    private void printNoneIfNone(int shown) {
        if (shown == 0) {
            out().println("no transaction" + (since != null || user != null ? " matches" : "s in the store"));
        }
    }

    private static String oids(long[] oids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < oids.length && i < OIDS_SHOWN; i++) {
            sb.append(i == 0 ? "" : ", ").append(oids[i]);
        }
        if (oids.length > OIDS_SHOWN) {
            sb.append(" and ").append(oids.length - OIDS_SHOWN).append(" more");
        }
        return sb.toString();
    }
}
