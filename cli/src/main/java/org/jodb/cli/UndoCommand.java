package org.jodb.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.jodb.Database;
import org.jodb.UndoException;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.TransactionInfo;
import org.jodb.transaction.Transaction;
import org.jodb.transaction.TransactionManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jodb undo STORE TID [--user U] [--note N]}: undoes one committed transaction through
 * {@link Database#undo(TransactionManager, long)}, in a transaction of its own that records the user and note,
 * and prints the oids it wrote and its tid. A refused undo ({@link UndoException}) writes nothing. Refuses a
 * store another process has open; a storage named by URL, shared by design, is undone in while others use it.
 */
@Command(name = "undo", description = {
        "Undoes a transaction: writes back the states its objects had before it.",
        "The undo is a new transaction (with --user and --note), so it can be undone in turn. It is refused, and",
        "nothing is written, when a later transaction changed one of the objects in a way that cannot be merged.",
        "`jodb log STORE` lists the tids. Needs the store to itself: a store another process has open is refused.",
        "A storage named by URL (PostgreSQL) is shared: other processes go on using it meanwhile."})
final class UndoCommand extends StoreCommand implements Callable<Integer> {

    @Parameters(index = "1", paramLabel = "TID", description = "The transaction to undo, as `jodb log` shows it"
            + " (0x... hex) or in decimal.")
    String tidText;

    @Option(names = "--user", paramLabel = "U", defaultValue = "",
            description = "The user recorded with the undo's transaction (default none).")
    String user;

    @Option(names = "--note", paramLabel = "N", description = "The note recorded with the undo's transaction"
            + " (default \"undo of TID\").")
    String note;

    @Override
    public Integer call() {
        long tid = Ids.parse("tid", tidText);
        String shown;
        Database opened;
        if (StoreUrl.isUrl(storeName)) { // a shared storage: other processes may commit meanwhile, as to any database
            StoreUrl url = StoreUrl.of(storeName);
            shown = url.shown();
            opened = url.openDatabase();
        } else {
            StoreDir store = StoreDir.of(storeName);
            if (store.openElsewhere()) {
                throw new UserError(store.heldMessage("undo"));
            }
            shown = store.path.toString();
            opened = openDatabase(store);
        }
        try (Database db = opened) {
            long lastBefore = db.storage().lastTid();
            TransactionManager manager = new TransactionManager(true);
            Transaction txn = manager.begin();
            txn.setUser(user);
            String noteText = note != null ? note : "undo of " + Ids.tid(tid);
            txn.note(noteText);
            try {
                db.undo(manager, tid);
            } catch (UndoException refused) {
                manager.abort();
                throw new UserError(refusal(shown, refused));
            } catch (RuntimeException e) {
                manager.abort();
                throw e;
            }
            manager.commit();
            TransactionInfo written = committedSince(db.storage(), lastBefore, noteText);
            if (written == null) {
                out().println("undid transaction " + Ids.tid(tid) + ": nothing to write (it only created objects,"
                        + " which an undo leaves as they are)");
                return Jodb.OK;
            }
            out().println("undid transaction " + Ids.tid(tid) + " in transaction " + Ids.tid(written.tid()) + ": wrote "
                    + oids(written.oids()));
        }
        return Jodb.OK;
    }

    /**
     * The undo's transaction: the newest committed after {@code lastBefore} with the undo's user and note, or
     * {@code null} when it wrote nothing. Found by its metadata because, on a storage several processes share,
     * others may have committed since.
     */
    private TransactionInfo committedSince(Storage storage, long lastBefore, String noteText) {
        long before = Long.MAX_VALUE;
        while (true) {
            List<TransactionInfo> page = storage.transactionLog(before, StorageLog.PAGE);
            for (TransactionInfo t : page) {
                if (t.tid() <= lastBefore) {
                    return null;
                }
                if (t.user().equals(user) && t.note().equals(noteText)) {
                    return t;
                }
                before = t.tid();
            }
            if (page.size() < StorageLog.PAGE) {
                return null;
            }
        }
    }

    private static Database openDatabase(StoreDir store) {
        try {
            return Database.open(store.path);
        } catch (StorageException e) {
            if (store.openElsewhere()) { // opened by another process since the check
                throw new UserError(store.heldMessage("undo"));
            }
            throw e;
        }
    }

    /**
     * The exception's message (it names the objects and the later transactions), with its tids written as this
     * command writes them, and the remedy from the command line.
     */
    static String refusal(String store, UndoException e) {
        String message = hexTid(e.getMessage(), e.tid());
        for (long later : e.laterChanges().values()) {
            message = hexTid(message, later);
        }
        return message + " From the command line: `jodb log " + store + "` lists the transactions (undo later"
                + " ones first, newest first); `jodb history " + store + " OID` shows who changed an object.";
    }

    /** {@code text} with {@code tid} in decimal, as a whole number, replaced by its hex form. */
    private static String hexTid(String text, long tid) {
        return tid == 0 ? text : text.replaceAll("(?<![0-9x])" + Long.toUnsignedString(tid) + "(?![0-9])", Ids.tid(tid));
    }

    private static String oids(long[] oids) {
        StringBuilder sb = new StringBuilder(oids.length + (oids.length == 1 ? " object: " : " objects: "));
        for (int i = 0; i < oids.length && i < LogCommand.OIDS_SHOWN; i++) {
            sb.append(i == 0 ? "" : ", ").append(oids[i]);
        }
        if (oids.length > LogCommand.OIDS_SHOWN) {
            sb.append(" and ").append(oids.length - LogCommand.OIDS_SHOWN).append(" more");
        }
        return sb.toString();
    }
}
