package org.jodb.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jodb.cli.browse.StoreLog;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.TransactionInfo;
import org.jodb.spi.TransactionRecords;

/**
 * The browser's read of a storage opened by URL: one walk of {@link Storage#transactions} that keeps every
 * transaction's metadata, every revision's tid and length and the registry entries, never the records
 * themselves; a page asks for the few records it shows ({@link #data}). The storage stays open: closing this
 * read lets go of nothing. A storage has no log positions, so the revisions carry none, and it does not say
 * whether a pack removed an object's older revisions, so the pages do not claim it.
 */
final class StorageStoreLog implements StoreLog {
    private final Storage storage;
    private final StoreUrl url;
    private final List<Txn> transactions = new ArrayList<>();
    private final Map<Long, List<Rev>> revisions = new LinkedHashMap<>();
    private final Map<Long, String> entries = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private StorageStoreLog(Storage storage, StoreUrl url) {
        this.storage = storage;
        this.url = url;
    }

    /** Walks every transaction {@code storage} holds now; a failure to read ends the walk as a problem. */
    static StorageStoreLog read(Storage storage, StoreUrl url) {
        StorageStoreLog log = new StorageStoreLog(storage, url);
        long lastTid = Storage.NO_TID;
        try {
            Iterator<TransactionRecords> all = storage.transactions(Storage.NO_TID);
            while (all.hasNext()) {
                TransactionRecords t = all.next();
                log.add(t);
                lastTid = t.info().tid();
            }
        } catch (StorageException unreadable) {
            log.problems.add("the transaction after tid " + Ids.tid(lastTid) + " of " + url.shown() + " cannot be"
                    + " read: " + url.withoutSecrets(unreadable.getMessage()) + ". The transactions after it are not"
                    + " shown. Reload the page; if this stays, run `jodb verify` on the URL.");
        }
        return log;
    }

    private void add(TransactionRecords t) {
        TransactionInfo info = t.info();
        long[] oids = new long[t.records().size()];
        int i = 0;
        for (Revision r : t.records()) {
            oids[i++] = r.oid();
            revisions.computeIfAbsent(r.oid(), oid -> new ArrayList<>())
                    .add(new Rev(r.oid(), info.tid(), 0, r.data().length, 0));
            if (ObjectRecordCodec.isEntryRecord(r.data())) {
                entries.put(r.oid(), ObjectRecordCodec.entryOf(r.data()));
            }
        }
        transactions.add(new Txn(info.tid(), info.timeMillis(), info.user(), info.note(), oids));
    }

    @Override
    public String name() {
        return url.shown();
    }

    @Override
    public long lastTid() {
        return transactions.isEmpty() ? Storage.NO_TID : transactions.get(transactions.size() - 1).tid();
    }

    @Override
    public List<Txn> transactions() {
        return transactions;
    }

    @Override
    public Collection<Long> oids() {
        return revisions.keySet();
    }

    @Override
    public List<Rev> revisions(long oid) {
        return revisions.get(oid);
    }

    /**
     * The record of the revision: loaded at its tid when the storage still serves that snapshot, else (a pack
     * since then keeps the revision but no longer the snapshot) taken from its transaction's records.
     *
     * @throws StorageException when the storage no longer holds it (a pack of another process since the walk)
     */
    @Override
    public byte[] data(Rev r) {
        if (Long.compareUnsigned(r.tid(), storage.oldestSnapshot()) >= 0) {
            try {
                Revision loaded = storage.loadAt(r.oid(), r.tid());
                if (loaded != null && loaded.tid() == r.tid()) {
                    return loaded.data();
                }
            } catch (StorageException packedMeanwhile) {
                // the transaction's own records below still hold it if pack kept it
            }
        }
        Iterator<TransactionRecords> from = storage.transactions(r.tid() - 1);
        if (from.hasNext()) {
            TransactionRecords t = from.next();
            if (t.info().tid() == r.tid()) {
                for (Revision kept : t.records()) {
                    if (kept.oid() == r.oid()) {
                        return kept.data();
                    }
                }
            }
        }
        throw new StorageException("oid " + r.oid() + " at tid " + Ids.tid(r.tid()) + " is no longer in "
                + url.shown() + ": a pack removed it since the page was read. Reload the page.");
    }

    @Override
    public String entry(long oid) {
        return entries.get(oid);
    }

    @Override
    public List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void close() {
        // the storage stays open for the next page; the browse command closes it when the server stops
    }
}
