package org.jodb.cli;

import java.util.concurrent.Callable;

import org.jodb.internal.object.PersistentObject;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.RecordDecoder;
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
            out().println("oid " + oid + " at tid " + Ids.tid(r.tid()) + (t == null ? "" : " (" + Times.format(t.timeMillis())
                    + ")") + ", " + r.length() + " bytes");
            byte[] data = scan.data(r);
            if (ObjectRecordCodec.isEntryRecord(data)) {
                out().println("registry entry " + Text.quote(ObjectRecordCodec.entryOf(data)));
                return Jodb.OK;
            }
            RecordDecoder decoder = new RecordDecoder(scan.entries::get, PersistentObject.class);
            try {
                out().print(StateText.of(decoder.read(data)));
            } catch (IllegalArgumentException e) {
                out().println("(this record cannot be read: " + e.getMessage() + "; its bytes:)");
                out().println(Text.hex(data, "  "));
            }
        }
        out().flush();
        return Jodb.OK;
    }
}
