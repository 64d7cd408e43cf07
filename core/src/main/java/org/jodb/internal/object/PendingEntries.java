package org.jodb.internal.object;

import java.util.HashMap;
import java.util.Map;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.TypeRegistry;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;

/**
 * One connection's view of the registry: committed entries from the database's {@link TypeRegistry}, plus
 * the entries its current transaction created, which become shared only once the transaction commits
 * (so no other connection writes a record naming an entry whose own record might never be committed).
 */
final class PendingEntries {
    private final TypeRegistry registry;
    private final Storage storage;
    private final Map<String, Long> ids = new HashMap<>();
    private final Map<Long, String> entries = new HashMap<>();

    PendingEntries(TypeRegistry registry, Storage storage) {
        this.registry = registry;
        this.storage = storage;
    }

    long idOf(String entry) {
        Long id = registry.idOf(entry);
        if (id == null) {
            id = ids.get(entry);
            if (id == null) {
                id = storage.newOid();
                ids.put(entry, id);
                entries.put(id, entry);
            }
        }
        return id;
    }

    String entryOf(long id) {
        String entry = registry.entryOf(id);
        if (entry == null) {
            entry = entries.get(id);
        }
        if (entry == null) {
            Revision r = storage.load(id);
            if (r == null || !ObjectRecordCodec.isEntryRecord(r.data())) {
                throw new StorageException("registry entry " + id + " is missing from storage " + storage.name()
                        + "; the database is damaged (a record names a class or field layout that was never"
                        + " stored)");
            }
            entry = ObjectRecordCodec.entryOf(r.data());
            registry.addCommitted(id, entry);
        }
        return entry;
    }

    /** The id of an entry this transaction created, or null. */
    Long pendingId(String entry) {
        return ids.get(entry);
    }

    /** An entry this transaction created, or null. */
    String pending(long id) {
        return entries.get(id);
    }

    /** Queues the records of the entries created in this transaction. */
    void storeInto(StorageTransaction txn) {
        entries.forEach((id, entry) -> txn.store(id, Storage.NO_TID, ObjectRecordCodec.entryRecord(entry)));
    }

    /** The transaction voted: records naming its entries can be read by others as soon as it finishes. */
    void voted() {
        entries.forEach(registry::addReadable);
    }

    /** The transaction committed: its entries are shared now. */
    void committed() {
        entries.forEach(registry::addCommitted);
        clear();
    }

    void clear() {
        ids.clear();
        entries.clear();
    }
}
