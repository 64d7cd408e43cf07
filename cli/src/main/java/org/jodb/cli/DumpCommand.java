package org.jodb.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;

import org.jodb.Database;
import org.jodb.internal.object.PersistentObject;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.RecordDecoder;
import org.jodb.spi.Revision;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jodb dump STORE OID [--at TID]}: an object's state as text, read without the application's classes:
 * the field names and their kinds come from the field layouts stored in the database ({@link RecordDecoder}).
 */
@Command(name = "dump", description = {
        "Shows an object's state without the application's classes.",
        "Shows an object's state: its class, each stored field's name and value, references as oids. Needs none",
        "of the application's classes: field names come from the layouts stored in the database. A value whose",
        "format only its class knows (a Java record, a subclass of a JDK collection) is shown as bytes."})
final class DumpCommand extends StoreCommand implements Callable<Integer> {

    @Parameters(index = "1", paramLabel = "OID", description = "The object's oid (0 is the root).")
    String oidText;

    @Option(names = "--at", paramLabel = "TID", description = "Show the revision current at this tid (from `jodb log`)"
            + " instead of the newest.")
    String atText;

    @Override
    public Integer call() {
        long oid = Ids.parse("oid", oidText);
        Long at = atText == null ? null : Ids.parse("tid", atText);
        if (StoreUrl.isUrl(storeName)) {
            return dumpOf(StoreUrl.of(storeName), oid, at);
        }
        StoreDir store = StoreDir.of(storeName);
        try (LogScan scan = scanForReading(store)) {
            if (!scan.revisions.containsKey(oid)) {
                throw Text.unknownOid(store, scan, oid);
            }
            LogScan.Rev r = at == null ? scan.current(oid) : scan.revisionAt(oid, at);
            if (r == null) {
                throw new UserError("oid " + oid + " did not exist yet at tid " + Ids.tid(at) + ": it was first written"
                        + " at tid " + Ids.tid(scan.revisions.get(oid).get(0).tid()) + ". List its revisions with `jodb"
                        + " history " + store.path + " " + oid + "`.");
            }
            LogScan.Txn t = Text.transactionOf(scan, r.tid());
            printState(oid, r.tid(), t == null ? null : t.timeMillis(), scan.data(r), scan.entries::get);
        }
        return Jodb.OK;
    }

    /**
     * An object of a storage opened by URL: its revision through {@code Storage.load}/{@code loadAt}, the
     * registry entries its record names loaded as the decoder asks for them.
     */
    private int dumpOf(StoreUrl url, long oid, Long at) {
        try (Database db = url.openDatabase()) {
            Storage storage = db.storage();
            Revision r = at == null ? storage.load(oid) : storage.loadAt(oid, at);
            List<RevisionInfo> history = storage.history(oid, Integer.MAX_VALUE);
            if (r == null && history.isEmpty()) {
                throw new UserError("oid " + oid + " is not in " + url + " (no transaction wrote it, or pack removed"
                        + " it). Find oids with `jodb log " + url + "`.");
            }
            if (r == null) {
                throw new UserError("oid " + oid + " did not exist yet at tid " + Ids.tid(at) + ": it was first written"
                        + " at tid " + Ids.tid(history.get(history.size() - 1).tid()) + ". List its revisions with"
                        + " `jodb history " + url + " " + oid + "`.");
            }
            Long millis = history.stream().filter(h -> h.tid() == r.tid()).map(RevisionInfo::timeMillis).findFirst()
                    .orElse(null);
            Map<Long, String> entries = new HashMap<>();
            printState(oid, r.tid(), millis, r.data(), id -> entries.computeIfAbsent(id, e -> {
                Revision entry = storage.loadAt(e, r.tid());
                return entry == null || !ObjectRecordCodec.isEntryRecord(entry.data()) ? null
                        : ObjectRecordCodec.entryOf(entry.data());
            }));
        }
        return Jodb.OK;
    }

    /** Prints one revision: a heading, then its state as text (or its bytes when they cannot be decoded). */
    private void printState(long oid, long tid, Long millis, byte[] data, LongFunction<String> entries) {
        out().println("oid " + oid + " at tid " + Ids.tid(tid) + (millis == null ? "" : " (" + Times.format(millis)
                + ")") + ", " + data.length + " bytes");
        if (ObjectRecordCodec.isEntryRecord(data)) {
            out().println("registry entry " + Text.quote(ObjectRecordCodec.entryOf(data)));
            return;
        }
        RecordDecoder decoder = new RecordDecoder(entries, PersistentObject.class);
        try {
            out().print(StateText.of(decoder.read(data)));
        } catch (IllegalArgumentException e) {
            out().println("(this record cannot be read: " + e.getMessage() + "; its bytes:)");
            out().println(Text.hex(data, "  "));
        }
        out().flush();
    }
}
