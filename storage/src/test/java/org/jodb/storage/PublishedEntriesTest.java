package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vote reads the entries this storage published before the oid index ({@link PublishedEntries}): what it
 * reads there is what the index holds, so a stale serial is still a conflict, a new revision links back to the
 * one published before it, and after a pack moved that revision, to where the pack moved it.
 */
class PublishedEntriesTest {
    private static final ReferenceFinder NO_REFERENCES = (data, oids) -> { };

    @TempDir
    Path tmp;

    @Test
    void aStaleSerialIsAConflictAndANewRevisionLinksToThePublishedOne() {
        try (MappedFileStorage storage = MappedFileStorage.open(tmp.resolve("store"), StorageOptions.defaults())) {
            long oid = Storage.ROOT_OID;
            long a = commit(storage, oid, Storage.NO_TID, "a");
            long b = commit(storage, oid, a, "b"); // an update: its entry is kept in memory
            StorageTransaction stale = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            stale.store(oid, a, bytes("x"));
            assertThrows(StorageConflictException.class, stale::vote);
            stale.abort();
            long c = commit(storage, oid, b, "c");
            assertEquals(List.of(c, b, a), tids(storage.history(oid, 10)));
        }
    }

    @Test
    void afterAPackMovedTheRevisionTheNextOneLinksToItsNewPlace() {
        Path dir = tmp.resolve("store");
        long b;
        long c;
        try (MappedFileStorage storage = MappedFileStorage.open(dir, StorageOptions.defaults())) {
            long oid = Storage.ROOT_OID;
            long a = commit(storage, oid, Storage.NO_TID, "a");
            b = commit(storage, oid, a, "b");
            storage.pack(storage.lastTid(), NO_REFERENCES); // drops a, copies b to a new place
            c = commit(storage, oid, b, "c");
            assertEquals(List.of(c, b), tids(storage.history(oid, 10)));
            assertEquals("b", text(storage, oid, b));
        }
        try (MappedFileStorage storage = MappedFileStorage.open(dir, StorageOptions.defaults())) {
            assertEquals(List.of(c, b), tids(storage.history(Storage.ROOT_OID, 10)), "the same chain on disk");
            assertEquals("b", text(storage, Storage.ROOT_OID, b));
            assertEquals("c", text(storage, Storage.ROOT_OID, c));
        }
    }

    private static List<Long> tids(List<RevisionInfo> history) {
        return history.stream().map(RevisionInfo::tid).toList();
    }

    private static long commit(Storage storage, long oid, long serial, String value) {
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, serial, bytes(value));
        txn.vote();
        return txn.finish();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Storage storage, long oid, long tid) {
        return new String(storage.loadAt(oid, tid).data(), StandardCharsets.UTF_8);
    }
}
