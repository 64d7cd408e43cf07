package org.jodb.cli;

import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;

import org.jodb.Database;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.TransactionInfo;
import org.jodb.storage.MappedFileStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jodb pack STORE [--before TIME]}: removes old revisions and unreachable objects through
 * {@link MappedFileStorage#pack}, as {@code Database.pack} does, keeping what any snapshot at or after the pack
 * point can read. Refuses a store directory another process has open; a storage named by URL packs online.
 */
@Command(name = "pack", description = {
        "Removes old revisions and unreachable objects.",
        "Removes revisions that no snapshot at or after the pack point can read, and objects no longer reachable",
        "from the root. The pack point is the newest transaction (default) or the newest one committed before",
        "TIME. Needs the store to itself: a store another process has open is refused.",
        "A storage named by URL (PostgreSQL) is shared: other processes go on using it meanwhile."})
final class PackCommand extends StoreCommand implements Callable<Integer> {

    @Option(names = "--before", paramLabel = "TIME", description = "Keep every revision a snapshot at TIME or later"
            + " can read: " + Times.FORMS + ".")
    String before;

    @Override
    public Integer call() {
        long beforeMillis = before == null ? Long.MAX_VALUE : Times.parseMillis("--before", before, Instant.now());
        if (StoreUrl.isUrl(storeName)) {
            return packOf(StoreUrl.of(storeName), beforeMillis);
        }
        StoreDir store = StoreDir.of(storeName);
        if (store.openElsewhere()) {
            throw new UserError(store.heldMessage("pack"));
        }
        long packTid = 0;
        long transactionsBefore;
        long recordsBefore;
        long diskBefore = store.diskBytes();
        try (LogScan scan = LogScan.of(store, false, progress())) {
            if (!scan.problems.isEmpty()) {
                throw new UserError("the log is damaged (" + scan.problems.get(0) + "), and pack copies only sound"
                        + " records. Run `jodb verify " + store.path + "` for every problem.");
            }
            for (LogScan.Txn t : scan.transactions) {
                if (t.timeMillis() <= beforeMillis) {
                    packTid = t.tid();
                }
            }
            transactionsBefore = scan.transactions.size();
            recordsBefore = scan.records;
        }
        if (packTid == 0) {
            out().println("nothing to pack: no transaction was committed at or before " + Times.format(beforeMillis));
            return Jodb.OK;
        }
        try (MappedFileStorage storage = MappedFileStorage.open(store.path)) {
            storage.pack(packTid, REFERENCES);
        } catch (StorageException e) {
            if (store.openElsewhere()) {
                throw new UserError(store.heldMessage("pack"));
            }
            throw e;
        }
        StoreDir packed = StoreDir.of(storeName); // pack replaced the segments
        try (LogScan after = LogScan.of(packed, false, Progress.NONE)) {
            out().println("packed " + store.path + " at tid " + Ids.tid(packTid) + ": " + transactionsBefore + " -> "
                    + after.transactions.size() + " transactions, " + recordsBefore + " -> " + after.records
                    + " records, " + diskBefore + " -> " + store.diskBytes() + " bytes on disk");
        }
        return Jodb.OK;
    }

    /**
     * Packs a storage opened by URL while other processes may read and commit, as the storage allows:
     * {@code Database.pack} at the newest transaction, or the storage's pack at the newest transaction committed
     * at or before {@code --before}.
     */
    private int packOf(StoreUrl url, long beforeMillis) {
        try (Database db = url.openDatabase()) {
            Storage storage = db.storage();
            long packTid = Storage.NO_TID;
            long transactionsBefore = 0;
            for (TransactionInfo t : StorageLog.all(storage)) {
                transactionsBefore++;
                if (packTid == Storage.NO_TID && t.timeMillis() <= beforeMillis) {
                    packTid = t.tid(); // newest first: the first one at or before the time
                }
            }
            if (packTid == Storage.NO_TID) {
                out().println("nothing to pack: no transaction was committed at or before " + Times.format(beforeMillis));
                return Jodb.OK;
            }
            if (before == null) {
                packTid = storage.lastTid();
                db.pack();
            } else {
                storage.pack(packTid, REFERENCES);
            }
            long transactionsAfter = StorageLog.all(storage).size();
            out().println("packed " + url + " at tid " + Ids.tid(packTid) + ": " + transactionsBefore + " -> "
                    + transactionsAfter + " transactions");
        }
        return Jodb.OK;
    }

    /**
     * The oids a record refers to, and the records pack must keep though nothing refers to them (the registry's
     * entries): what the object layer gives {@code Database.pack}.
     */
    static final ReferenceFinder REFERENCES = new ReferenceFinder() {
        @Override
        public void references(byte[] record, LongConsumer oids) {
            ObjectRecordCodec.references(record, oids);
        }

        @Override
        public boolean pinned(byte[] record) {
            return ObjectRecordCodec.isEntryRecord(record);
        }
    };
}
