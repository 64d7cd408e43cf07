package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.RevisionInfo;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vote looks up the entries of what its transaction read before it takes the commit lock
 * ({@link EarlyLookups}); a commit that publishes while the vote waits for the lock must still count: the
 * vote that waited sees the oids that commit wrote as changed, and keeps what it found for the others.
 */
class EarlyLookupsTest {

    @TempDir
    Path tmp;

    @Test
    void aCommitPublishedWhileAVoteWaitsForTheLockIsAConflict() throws Exception {
        try (MappedFileStorage storage = MappedFileStorage.open(tmp.resolve("store"), StorageOptions.defaults())) {
            long oid = storage.newOid();
            long first = commit(storage, oid, Storage.NO_TID, "a");
            Throwable thrown = voteWhileAnotherCommits(storage, oid, first, oid, first);
            assertInstanceOf(StorageConflictException.class, thrown, "the waiting vote read a before b was committed");
            assertEquals("b", text(storage, oid));
        }
    }

    @Test
    void aCommitOfOtherObjectsLeavesTheEntriesFoundEarlyInUse() throws Exception {
        try (MappedFileStorage storage = MappedFileStorage.open(tmp.resolve("store"), StorageOptions.defaults())) {
            long mine = storage.newOid();
            long theirs = storage.newOid();
            long first = commit(storage, mine, Storage.NO_TID, "a");
            long theirFirst = commit(storage, theirs, Storage.NO_TID, "x");
            Throwable thrown = voteWhileAnotherCommits(storage, mine, first, theirs, theirFirst);
            assertNull(thrown);
            assertEquals("c", text(storage, mine));
            assertEquals("b", text(storage, theirs));
            List<RevisionInfo> history = storage.history(mine, 10);
            assertEquals(2, history.size(), "c links back to a, the entry found before the lock");
            assertEquals(first, history.get(1).tid());
        }
    }

    /**
     * Commits "b" to {@code theirOid} (read at {@code theirSerial}) on this thread between the vote of another
     * thread that stores "c" to {@code myOid} (read at {@code mySerial}), once that vote waits for the commit
     * lock, and the lock's release; returns what that vote threw, or null after committing it.
     */
    private static Throwable voteWhileAnotherCommits(MappedFileStorage storage, long myOid, long mySerial,
                                                     long theirOid, long theirSerial) throws Exception {
        StorageTransaction theirs = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        theirs.store(theirOid, theirSerial, bytes("b"));
        theirs.vote(); // holds the commit lock until finish
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread voter = new Thread(() -> {
            StorageTransaction mine = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            mine.store(myOid, mySerial, bytes("c"));
            try {
                mine.vote(); // looks up before the lock, then waits for it
                mine.finish();
            } catch (Throwable t) {
                mine.abort();
                thrown.set(t);
            }
        });
        voter.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (voter.getState() != Thread.State.WAITING) { // parked on the commit lock
            if (System.nanoTime() > deadline || !voter.isAlive()) {
                fail("the vote did not wait for the commit lock (state " + voter.getState() + ")");
            }
            Thread.onSpinWait();
        }
        theirs.finish();
        voter.join();
        return thrown.get();
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

    private static String text(Storage storage, long oid) {
        return new String(storage.load(oid).data(), StandardCharsets.UTF_8);
    }
}
