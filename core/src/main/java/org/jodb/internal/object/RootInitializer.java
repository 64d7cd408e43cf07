package org.jodb.internal.object;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jodb.internal.serialization.ObjectRecordCodec;
import org.jodb.internal.serialization.RecordContext;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;

/**
 * Writes the root, an empty map, into a storage that has none, in a transaction of its own noted "initial
 * database creation": a new database always has a root.
 */
final class RootInitializer {
    static final String NOTE = "initial database creation";

    private RootInitializer() {
    }

    static void initialize(ObjectLayer layer, Object emptyRoot) {
        Storage storage = layer.storage;
        if (storage.load(Storage.ROOT_OID) != null) {
            return;
        }
        Map<String, Long> entries = new HashMap<>();
        List<Long> order = new ArrayList<>();
        RecordContext ctx = new RecordContext() {
            @Override
            public long entryId(String entry) {
                Long known = layer.registry.idOf(entry);
                if (known != null) {
                    return known;
                }
                return entries.computeIfAbsent(entry, e -> {
                    long id = storage.newOid();
                    order.add(id);
                    return id;
                });
            }

            @Override
            public String entry(long id) {
                throw new IllegalStateException("the empty root reads no entries");
            }

            @Override
            public long referenceOid(Object persistent) {
                throw new IllegalStateException("the empty root refers to no objects");
            }

            @Override
            public Object resolveReference(long oid, Class<?> type) {
                throw new IllegalStateException("the empty root refers to no objects");
            }
        };
        byte[] root = layer.codec.write(emptyRoot, ctx);
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", NOTE), ConflictResolver.NONE);
        try {
            for (Map.Entry<String, Long> e : entries.entrySet()) {
                txn.store(e.getValue(), Storage.NO_TID, ObjectRecordCodec.entryRecord(e.getKey()));
            }
            txn.store(Storage.ROOT_OID, Storage.NO_TID, root);
            txn.vote();
            txn.finish();
        } catch (StorageConflictException e) {
            txn.abort(); // another process created it first: use theirs
            return;
        } catch (RuntimeException e) {
            txn.abort();
            throw e;
        }
        entries.forEach((entry, id) -> layer.registry.addCommitted(id, entry));
    }
}
