package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Revision;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.index.OidIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vote takes what this thread's loads found in the index only while it is still the index's answer
 * ({@link LoadMemo}): a commit or a pack between the load and the vote sends it back to the index.
 */
class LoadMemoTest {

    @TempDir
    Path tmp;

    @Test
    void aRememberedEntryIsRecalledOnlyForTheSameIndexOidAndLastTid() {
        try (OidIndex index = OidIndex.create(tmp, 1, 1_000); OidIndex other = OidIndex.create(tmp, 2, 1_000)) {
            LoadMemo memo = new LoadMemo();
            memo.remember(index, 7, 42, 1_000, 5);
            assertEquals(new OidIndex.Entry(1_000, 5), memo.recall(index, 7, 42));
            assertNull(memo.recall(index, 8, 42), "a commit published since the load");
            assertNull(memo.recall(other, 7, 42), "a pack or growth swapped the index since the load");
            assertNull(memo.recall(index, 7, 42 + LoadMemo.SIZE), "another oid in the same slot");
            memo.remember(index, 7, 42 + LoadMemo.SIZE, 2_000, 6);
            assertNull(memo.recall(index, 7, 42), "displaced by a later load");
        }
    }

    @Test
    void aCommitBetweenLoadAndVoteIsStillAConflict() {
        try (MappedFileStorage storage = MappedFileStorage.open(tmp.resolve("store"), StorageOptions.defaults())) {
            long oid = storage.newOid();
            long first = commit(storage, oid, Storage.NO_TID, "a");
            Revision read = storage.load(oid); // remembered on this thread
            commit(storage, oid, first, "b"); // the same thread commits again: lastTid moves on
            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            txn.store(oid, read.tid(), "c".getBytes(StandardCharsets.UTF_8));
            assertThrows(StorageConflictException.class, txn::vote);
            txn.abort();
            assertEquals("b", new String(storage.load(oid).data(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aPackBetweenLoadAndVoteLinksTheNewRevisionToThePackedOne() {
        try (MappedFileStorage storage = MappedFileStorage.open(tmp.resolve("store"), StorageOptions.defaults())) {
            long oid = storage.newOid(); // oid 0, the root: pack keeps it
            commit(storage, oid, Storage.NO_TID, "a");
            long second = commit(storage, oid, storage.load(oid).tid(), "b");
            Revision read = storage.load(oid); // remembers b's position in the log before the pack
            storage.pack(storage.lastTid(), (data, oids) -> { });
            long third = commit(storage, oid, read.tid(), "c");
            assertNotEquals(second, third);
            List<RevisionInfo> history = storage.history(oid, 10);
            assertEquals(List.of(third, second), history.stream().map(RevisionInfo::tid).toList(),
                    "c's prev is b where the pack put it: history walks from c to b, and a is packed away");
            assertEquals("b", new String(storage.loadAt(oid, second).data(), StandardCharsets.UTF_8));
        }
    }

    private static long commit(Storage storage, long oid, long serial, String value) {
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, serial, value.getBytes(StandardCharsets.UTF_8));
        txn.vote();
        return txn.finish();
    }
}
