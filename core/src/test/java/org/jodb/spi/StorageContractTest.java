package org.jodb.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Storage} must show, written against the SPI only. An implementation's test
 * extends this class and says how to make a fresh, empty storage (and, for durable storages, how to reopen
 * one). Shipped in core's test-jar so that jodb-storage runs the very same checks.
 *
 * <p>Records in these tests use a tiny self-describing format ({@link #record}) so that pack can follow
 * references through {@link #REFERENCES}.
 */
public abstract class StorageContractTest {

    /** A fresh, empty storage. Called once per test (and again by tests that need a second one). */
    protected abstract Storage newStorage();

    /** Whether {@link #reopen} is supported (durable storages). */
    protected boolean reopenable() {
        return false;
    }

    /**
     * Whether the storage lists a transaction's records in the order they were stored ({@link TransactionInfo#oids},
     * {@link TransactionRecords#records}); one that does not lists them in an order of its own (by oid), each once.
     */
    protected boolean keepsRecordOrder() {
        return true;
    }

    /** {@code expected} as the storage lists it: in that order, or sorted when it keeps no record order. */
    private long[] asListed(long... expected) {
        long[] listed = expected.clone();
        if (!keepsRecordOrder()) {
            java.util.Arrays.sort(listed);
        }
        return listed;
    }

    /** Closes {@code storage} (already closed is fine) and opens the same store again. */
    protected Storage reopen(Storage storage) {
        throw new UnsupportedOperationException("not reopenable");
    }

    protected Storage storage;

    @BeforeEach
    void openStorage() {
        storage = newStorage();
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            storage.close();
        }
    }

    // ---------------------------------------------------------------- record format used by these tests

    /** A record: [int labelLength][label UTF-8][long reference]*. */
    protected static byte[] record(String label, long... references) {
        byte[] text = label.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(4 + text.length + 8 * references.length);
        buffer.putInt(text.length).put(text);
        for (long ref : references) {
            buffer.putLong(ref);
        }
        return buffer.array();
    }

    protected static String label(byte[] record) {
        ByteBuffer buffer = ByteBuffer.wrap(record);
        int length = buffer.getInt();
        return new String(record, 4, length, StandardCharsets.UTF_8);
    }

    protected static final ReferenceFinder REFERENCES = (record, oids) -> {
        ByteBuffer buffer = ByteBuffer.wrap(record);
        buffer.position(4 + buffer.getInt());
        while (buffer.remaining() >= 8) {
            oids.accept(buffer.getLong());
        }
    };

    protected static String label(Revision revision) {
        assertNotNull(revision, "expected a revision");
        return label(revision.data());
    }

    // ---------------------------------------------------------------- helpers

    /** Commits one write and returns its tid. */
    protected long commit(long oid, long serial, byte[] data) {
        return commit(storage, new TransactionMetadata("", ""), new long[]{oid}, new long[]{serial}, data);
    }

    protected static long commit(Storage s, TransactionMetadata meta, long[] oids, long[] serials, byte[]... data) {
        StorageTransaction txn = s.tpcBegin(meta, ConflictResolver.NONE);
        try {
            for (int i = 0; i < oids.length; i++) {
                txn.store(oids[i], serials[i], data[i]);
            }
            txn.vote();
            return txn.finish();
        } catch (RuntimeException e) {
            txn.abort();
            throw e;
        }
    }

    /** The serial to pass when writing {@code oid} now. */
    protected long serialOf(long oid) {
        Revision current = storage.load(oid);
        return current == null ? Storage.NO_TID : current.tid();
    }

    // ---------------------------------------------------------------- identifiers

    @Test
    void newStorageIsEmpty() {
        assertEquals(Storage.NO_TID, storage.lastTid());
        assertNull(storage.load(Storage.ROOT_OID));
        assertNull(storage.loadAt(Storage.ROOT_OID, Long.MAX_VALUE));
        assertTrue(storage.transactionsAfter(Storage.NO_TID).isEmpty());
        assertTrue(storage.history(Storage.ROOT_OID, 10).isEmpty());
        assertNotNull(storage.name());
    }

    @Test
    void newOidsArePositiveAndUniqueAcrossThreads() throws Exception {
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        long oid = storage.newOid();
                        assertTrue(oid > 0, "oid must be positive: " + oid);
                        assertTrue(seen.add(oid), "oid handed out twice: " + oid);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(8_000, seen.size());
    }

    @Test
    void oidsAreNeverReusedAcrossReopen() {
        if (!reopenable()) {
            return; // nothing to reopen; uniqueness within one run is checked above
        }
        Set<Long> seen = new HashSet<>();
        long committed = storage.newOid();
        seen.add(committed);
        commit(committed, Storage.NO_TID, record("a"));
        for (int i = 0; i < 10; i++) {
            seen.add(storage.newOid());
        }
        storage = reopen(storage);
        for (int i = 0; i < 100; i++) {
            long oid = storage.newOid();
            assertTrue(seen.add(oid), "oid reused after reopen: " + oid);
        }
    }

    @Test
    void tidsStrictlyIncreaseAndLastTidFollowsFinish() {
        long previous = storage.lastTid();
        long oid = storage.newOid();
        long serial = Storage.NO_TID;
        for (int i = 0; i < 20; i++) {
            long tid = commit(oid, serial, record("v" + i));
            assertTrue(tid > previous, "tid " + tid + " not after " + previous);
            assertEquals(tid, storage.lastTid());
            previous = tid;
            serial = tid;
        }
        if (reopenable()) {
            storage = reopen(storage);
            assertEquals(previous, storage.lastTid(), "lastTid survives reopen");
            long tid = commit(oid, serial, record("after reopen"));
            assertTrue(tid > previous, "tid after reopen " + tid + " not after " + previous);
        }
    }

    // ---------------------------------------------------------------- reading

    @Test
    void committedRevisionIsLoadedWithItsTidAsACopy() {
        long oid = storage.newOid();
        byte[] data = record("hello", 1, 2);
        long tid = commit(oid, Storage.NO_TID, data);
        Revision revision = storage.load(oid);
        assertEquals(oid, revision.oid());
        assertEquals(tid, revision.tid());
        assertArrayEquals(data, revision.data());
        revision.data()[0] ^= 0x7f;
        assertArrayEquals(data, storage.load(oid).data(), "load must hand out a copy");
        assertNull(storage.load(storage.newOid()), "unknown oid loads as null");
    }

    @Test
    void loadAtReadsTheRevisionCurrentAtTheSnapshot() {
        long oid = storage.newOid();
        long other = storage.newOid();
        long before = commit(other, Storage.NO_TID, record("other"));
        long t1 = commit(oid, Storage.NO_TID, record("one"));
        long t2 = commit(oid, t1, record("two"));
        long between = commit(other, before, record("other 2"));
        long t3 = commit(oid, t2, record("three"));

        assertNull(storage.loadAt(oid, before), "did not exist yet");
        assertEquals("one", label(storage.loadAt(oid, t1)));
        assertEquals(t1, storage.loadAt(oid, t1).tid());
        assertEquals("two", label(storage.loadAt(oid, t2)));
        assertEquals("two", label(storage.loadAt(oid, between)));
        assertEquals(t2, storage.loadAt(oid, between).tid());
        assertEquals("three", label(storage.loadAt(oid, t3)));
        assertEquals("three", label(storage.loadAt(oid, Long.MAX_VALUE)));
        assertEquals("three", label(storage.load(oid)));
    }

    @Test
    void uncommittedWritesAreInvisible() {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("committed"));
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, t1, record("pending"));
        assertEquals("committed", label(storage.load(oid)));
        txn.vote();
        assertEquals("committed", label(storage.load(oid)), "voted but not finished must stay invisible");
        assertEquals(t1, storage.lastTid());
        long t2 = txn.finish();
        assertEquals("pending", label(storage.load(oid)));
        assertEquals(t2, storage.lastTid());
    }

    // ---------------------------------------------------------------- two-phase commit

    @Test
    void severalObjectsCommitAtomicallyUnderOneTid() {
        long a = storage.newOid();
        long b = storage.newOid();
        long tid = commit(storage, new TransactionMetadata("u", "n"), new long[]{a, b},
                new long[]{Storage.NO_TID, Storage.NO_TID}, record("a"), record("b"));
        assertEquals(tid, storage.load(a).tid());
        assertEquals(tid, storage.load(b).tid());
        List<CommittedTransaction> after = storage.transactionsAfter(Storage.NO_TID);
        assertEquals(1, after.size());
        assertEquals(tid, after.get(0).tid());
        long[] oids = after.get(0).oids().clone();
        Arrays.sort(oids);
        long[] expected = {a, b};
        Arrays.sort(expected);
        assertArrayEquals(expected, oids);
    }

    @Test
    void storingAnOidTwiceInOneTransactionKeepsTheLastWrite() {
        long oid = storage.newOid();
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, Storage.NO_TID, record("first"));
        txn.store(oid, Storage.NO_TID, record("second"));
        txn.vote();
        long tid = txn.finish();
        assertEquals("second", label(storage.load(oid)));
        assertEquals(1, storage.history(oid, 10).size());
        assertEquals(tid, storage.history(oid, 10).get(0).tid());
    }

    @Test
    void aSecondTransactionCannotVoteOnTheThreadOfAVotedOne() {
        long a = storage.newOid();
        long b = storage.newOid();
        StorageTransaction first = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        first.store(a, Storage.NO_TID, record("first"));
        first.vote();
        StorageTransaction second = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        second.store(b, Storage.NO_TID, record("second"));
        IllegalStateException e = assertThrows(IllegalStateException.class, second::vote);
        assertTrue(e.getMessage().contains("finish or abort it"), e.getMessage());
        second.abort();

        long tid = first.finish(); // the refusal cost the first transaction nothing
        assertEquals(tid, storage.lastTid());
        assertEquals("first", label(storage.load(a)));
        assertNull(storage.load(b));
        long next = commit(b, Storage.NO_TID, record("second, again")); // and the thread votes again after it
        assertTrue(next > tid);
        if (reopenable()) {
            storage = reopen(storage);
            assertEquals(List.of(tid, next), storage.transactionsAfter(Storage.NO_TID).stream()
                    .map(CommittedTransaction::tid).toList());
        }
    }

    @Test
    void abortBeforeOrAfterVoteLeavesNothing() {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("kept"));

        StorageTransaction beforeVote = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        beforeVote.store(oid, t1, record("dropped 1"));
        beforeVote.abort();
        beforeVote.abort(); // may be called more than once

        StorageTransaction afterVote = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        long fresh = storage.newOid();
        afterVote.store(oid, t1, record("dropped 2"));
        afterVote.store(fresh, Storage.NO_TID, record("dropped 3"));
        afterVote.vote();
        afterVote.abort();
        afterVote.abort();

        assertEquals("kept", label(storage.load(oid)));
        assertEquals(t1, storage.load(oid).tid());
        assertNull(storage.load(fresh));
        assertEquals(t1, storage.lastTid());
        assertEquals(1, storage.transactionsAfter(Storage.NO_TID).size());
        assertEquals(1, storage.history(oid, 10).size());

        // the storage is still usable, and the commit lock was released by the abort
        long t2 = commit(oid, t1, record("next"));
        assertTrue(t2 > t1);
        if (reopenable()) {
            storage = reopen(storage);
            assertEquals("next", label(storage.load(oid)));
            assertNull(storage.load(fresh));
            assertEquals(2, storage.transactionsAfter(Storage.NO_TID).size());
        }
    }

    @Test
    void writeConflictIsReportedAtVoteWithItsSerials() {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("base"));
        long t2 = commit(oid, t1, record("theirs"));

        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, t1, record("mine"));
        StorageConflictException conflict = assertThrows(StorageConflictException.class, txn::vote);
        txn.abort();
        assertEquals(oid, conflict.oid());
        assertEquals(t1, conflict.readSerial());
        assertEquals(t2, conflict.currentSerial());
        assertFalse(conflict.isReadConflict());
        assertEquals("theirs", label(storage.load(oid)));
        assertEquals(t2, storage.lastTid());
    }

    @Test
    void creatingAnObjectThatAlreadyExistsIsAWriteConflict() {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("first"));
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, Storage.NO_TID, record("second"));
        StorageConflictException conflict = assertThrows(StorageConflictException.class, txn::vote);
        txn.abort();
        assertEquals(Storage.NO_TID, conflict.readSerial());
        assertEquals(t1, conflict.currentSerial());
        assertFalse(conflict.isReadConflict());
    }

    @Test
    void checkCurrentFailsVoteWhenTheObjectChanged() {
        long read = storage.newOid();
        long written = storage.newOid();
        long t1 = commit(read, Storage.NO_TID, record("read"));
        long w1 = commit(written, Storage.NO_TID, record("w"));

        StorageTransaction ok = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        ok.checkCurrent(read, t1);
        ok.store(written, w1, record("w2"));
        ok.vote();
        long w2 = ok.finish();

        long t2 = commit(read, t1, record("read changed"));
        StorageTransaction stale = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        stale.checkCurrent(read, t1);
        stale.store(written, w2, record("w3"));
        StorageConflictException conflict = assertThrows(StorageConflictException.class, stale::vote);
        stale.abort();
        assertTrue(conflict.isReadConflict());
        assertEquals(read, conflict.oid());
        assertEquals(t1, conflict.readSerial());
        assertEquals(t2, conflict.currentSerial());
        assertEquals("w2", label(storage.load(written)), "the failed transaction wrote nothing");
    }

    @Test
    void storingACheckedObjectMakesTheWriteCheckCoverIt() {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("v1"));
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.checkCurrent(oid, t1);
        txn.store(oid, t1, record("v2"));
        assertEquals(0, txn.vote().length);
        long t2 = txn.finish();
        assertEquals(t2, storage.load(oid).tid());
    }

    @Test
    void resolverMergesAWriteConflictAndVoteReportsTheOid() {
        long counter = storage.newOid();
        long t1 = commit(counter, Storage.NO_TID, record("1"));
        long t2 = commit(counter, t1, record("11")); // someone else added 10

        AtomicReference<List<String>> seen = new AtomicReference<>();
        ConflictResolver adder = (oid, old, committed, mine) -> {
            seen.set(List.of(old == null ? "null" : label(old), label(committed), label(mine)));
            int merged = Integer.parseInt(label(committed)) + Integer.parseInt(label(mine))
                    - Integer.parseInt(label(old));
            return record(Integer.toString(merged));
        };
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), adder);
        txn.store(counter, t1, record("3")); // this writer added 2 to what it read
        long[] resolved = txn.vote();
        long t3 = txn.finish();
        assertArrayEquals(new long[]{counter}, resolved);
        assertEquals(List.of("1", "11", "3"), seen.get());
        assertEquals("13", label(storage.load(counter)));
        assertEquals(t3, storage.load(counter).tid());
        assertTrue(t3 > t2);
    }

    @Test
    void resolverThatGivesUpLeavesAConflict() {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("a"));
        commit(oid, t1, record("b"));
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, t1, record("c"));
        assertThrows(StorageConflictException.class, txn::vote);
        txn.abort();
        assertEquals("b", label(storage.load(oid)));
    }

    @Test
    void voteAndFinishCommitsInOneCallAsVoteThenFinishWould() {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("v1"));
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, t1, record("v2"));
        OnePhaseOutcome outcome = txn.voteAndFinish();
        txn.abort(); // changes nothing after a commit
        assertTrue(outcome.tid() > t1);
        assertEquals(0, outcome.resolvedOids().length);
        assertEquals(outcome.tid(), storage.lastTid());
        assertEquals("v2", label(storage.load(oid)));
        assertEquals(outcome.tid(), storage.load(oid).tid());
        assertTrue(commit(oid, outcome.tid(), record("v3")) > outcome.tid(), "the commit lock is free");
    }

    @Test
    void voteAndFinishReportsConflictsAsVoteDoesAndStoresNothing() {
        long oid = storage.newOid();
        long read = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("base"));
        long r1 = commit(read, Storage.NO_TID, record("read"));
        long t2 = commit(oid, t1, record("theirs"));

        StorageTransaction write = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        write.store(oid, t1, record("mine"));
        StorageConflictException conflict = assertThrows(StorageConflictException.class, write::voteAndFinish);
        write.abort();
        assertEquals(oid, conflict.oid());
        assertEquals(t1, conflict.readSerial());
        assertEquals(t2, conflict.currentSerial());
        assertFalse(conflict.isReadConflict());

        long r2 = commit(read, r1, record("read changed"));
        StorageTransaction stale = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        stale.checkCurrent(read, r1);
        stale.store(oid, t2, record("mine again"));
        StorageConflictException readConflict = assertThrows(StorageConflictException.class, stale::voteAndFinish);
        stale.abort();
        assertTrue(readConflict.isReadConflict());
        assertEquals(r2, readConflict.currentSerial());
        assertEquals("theirs", label(storage.load(oid)));
        assertEquals(r2, storage.lastTid());
    }

    @Test
    void voteAndFinishMergesThroughTheResolverAndReportsTheOid() {
        long counter = storage.newOid();
        long t1 = commit(counter, Storage.NO_TID, record("1"));
        commit(counter, t1, record("11"));
        ConflictResolver adder = (oid, old, committed, mine) -> record(Integer.toString(
                Integer.parseInt(label(committed)) + Integer.parseInt(label(mine)) - Integer.parseInt(label(old))));
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), adder);
        txn.store(counter, t1, record("3"));
        OnePhaseOutcome outcome = txn.voteAndFinish();
        assertArrayEquals(new long[]{counter}, outcome.resolvedOids());
        assertEquals("13", label(storage.load(counter)));
        assertEquals(outcome.tid(), storage.load(counter).tid());
    }

    // ---------------------------------------------------------------- transactions and history

    @Test
    void transactionsAfterListsLaterTransactionsOldestFirst() {
        long a = storage.newOid();
        long b = storage.newOid();
        long t1 = commit(a, Storage.NO_TID, record("a1"));
        long t2 = commit(b, Storage.NO_TID, record("b1"));
        long t3 = commit(storage, new TransactionMetadata("", ""), new long[]{a, b}, new long[]{t1, t2},
                record("a2"), record("b2"));

        List<CommittedTransaction> all = storage.transactionsAfter(Storage.NO_TID);
        assertEquals(List.of(t1, t2, t3), all.stream().map(CommittedTransaction::tid).toList());
        assertArrayEquals(new long[]{a}, all.get(0).oids());
        assertArrayEquals(new long[]{b}, all.get(1).oids());
        assertEquals(2, all.get(2).oids().length);

        List<CommittedTransaction> later = storage.transactionsAfter(t1);
        assertEquals(List.of(t2, t3), later.stream().map(CommittedTransaction::tid).toList());
        assertTrue(storage.transactionsAfter(t3).isEmpty());
        if (reopenable()) {
            storage = reopen(storage);
            assertEquals(List.of(t2, t3),
                    storage.transactionsAfter(t1).stream().map(CommittedTransaction::tid).toList());
        }
    }

    @Test
    void historyListsRevisionsNewestFirstWithMetadata() {
        long oid = storage.newOid();
        long start = System.currentTimeMillis();
        long t1 = commit(storage, new TransactionMetadata("alice", "create"), new long[]{oid},
                new long[]{Storage.NO_TID}, record("x"));
        long t2 = commit(storage, new TransactionMetadata("bob", "grow"), new long[]{oid}, new long[]{t1},
                record("xxxxxxxx"));
        long t3 = commit(storage, new TransactionMetadata(null, null), new long[]{oid}, new long[]{t2},
                record("xyz"));
        long end = System.currentTimeMillis();

        List<RevisionInfo> history = storage.history(oid, 10);
        assertEquals(List.of(t3, t2, t1), history.stream().map(RevisionInfo::tid).toList());
        assertEquals("bob", history.get(1).user());
        assertEquals("grow", history.get(1).note());
        assertEquals("alice", history.get(2).user());
        assertEquals("create", history.get(2).note());
        assertEquals("", history.get(0).user());
        assertEquals("", history.get(0).note());
        assertEquals(record("xxxxxxxx").length, history.get(1).size());
        assertEquals(record("x").length, history.get(2).size());
        for (RevisionInfo info : history) {
            assertTrue(info.timeMillis() >= start - 1_000 && info.timeMillis() <= end + 1_000,
                    "commit time " + info.timeMillis() + " outside [" + start + ", " + end + "]");
        }
        assertEquals(List.of(t3, t2), storage.history(oid, 2).stream().map(RevisionInfo::tid).toList());
        if (reopenable()) {
            storage = reopen(storage);
            assertEquals("alice", storage.history(oid, 10).get(2).user());
        }
    }

    // ---------------------------------------------------------------- the transaction log, newest first

    @Test
    void transactionLogListsTransactionsNewestFirstWithTheirMetadataAndOids() {
        long a = storage.newOid();
        long b = storage.newOid();
        long start = System.currentTimeMillis();
        long t1 = commit(storage, new TransactionMetadata("alice", "create"), new long[]{a},
                new long[]{Storage.NO_TID}, record("a1"));
        long t2 = commit(storage, new TransactionMetadata("bob", "both"), new long[]{b, a},
                new long[]{Storage.NO_TID, t1}, record("b1"), record("a2"));
        long t3 = commit(storage, new TransactionMetadata(null, null), new long[]{b}, new long[]{t2},
                record("b2"));
        long end = System.currentTimeMillis();

        List<TransactionInfo> log = storage.transactionLog(Long.MAX_VALUE, 10);
        assertEquals(List.of(t3, t2, t1), infoTids(log));
        assertEquals("", log.get(0).user());
        assertEquals("", log.get(0).note());
        assertEquals("bob", log.get(1).user());
        assertEquals("both", log.get(1).note());
        assertArrayEquals(asListed(b, a), log.get(1).oids(), "the oids in the order of the records");
        assertEquals("alice", log.get(2).user());
        assertEquals("create", log.get(2).note());
        assertArrayEquals(new long[]{a}, log.get(2).oids());
        for (TransactionInfo info : log) {
            assertTrue(info.timeMillis() >= start - 1_000 && info.timeMillis() <= end + 1_000,
                    "commit time " + info.timeMillis() + " outside [" + start + ", " + end + "]");
        }

        assertEquals(List.of(t3, t2), infoTids(storage.transactionLog(Long.MAX_VALUE, 2)), "at most max");
        assertEquals(List.of(t1), infoTids(storage.transactionLog(t2, 10)), "a page further back");
        assertEquals(List.of(t2, t1), infoTids(storage.transactionLog(t3, 10)));
        assertTrue(storage.transactionLog(t1, 10).isEmpty(), "nothing before the first");
        assertTrue(storage.transactionLog(Long.MAX_VALUE, 0).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> storage.transactionLog(Long.MAX_VALUE, -1));
        if (reopenable()) {
            storage = reopen(storage);
            List<TransactionInfo> reopened = storage.transactionLog(Long.MAX_VALUE, 10);
            assertEquals(List.of(t3, t2, t1), infoTids(reopened));
            assertEquals("bob", reopened.get(1).user());
            assertEquals("both", reopened.get(1).note());
            assertArrayEquals(asListed(b, a), reopened.get(1).oids());
            assertEquals(log.get(2).timeMillis(), reopened.get(2).timeMillis());
        }
        storage.close();
        assertThrows(IllegalStateException.class, () -> storage.transactionLog(Long.MAX_VALUE, 1));
    }

    @Test
    void transactionLogOfAnEmptyStorageIsEmptyAndAVotedTransactionIsNotListedBeforeItsFinish() {
        assertTrue(storage.transactionLog(Long.MAX_VALUE, 10).isEmpty());
        long a = storage.newOid();
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", "pending"), ConflictResolver.NONE);
        txn.store(a, Storage.NO_TID, record("a1"));
        txn.vote();
        try {
            assertTrue(storage.transactionLog(Long.MAX_VALUE, 10).isEmpty());
        } finally {
            txn.finish();
        }
        assertEquals(List.of("pending"), storage.transactionLog(Long.MAX_VALUE, 10).stream()
                .map(TransactionInfo::note).toList());
    }

    @Test
    void transactionLogAfterAPackListsOnlyWhatThePackKept() {
        long a = storage.newOid();
        long t1 = commit(storage, new TransactionMetadata("", "first"), new long[]{Storage.ROOT_OID, a},
                new long[]{Storage.NO_TID, Storage.NO_TID}, record("root", a), record("a v1"));
        long t2 = commit(a, t1, record("a v2"));
        long t3 = commit(a, t2, record("a v3"));
        long garbage = storage.newOid();
        long t4 = commit(garbage, Storage.NO_TID, record("nobody refers to this"));
        long t5 = commit(storage, new TransactionMetadata("carol", "last"), new long[]{a}, new long[]{t3},
                record("a v4"));

        storage.pack(t4, REFERENCES);

        // t2 and t4 keep no revision and are gone; t1 keeps only its root record (a's first revision is gone)
        List<TransactionInfo> log = storage.transactionLog(Long.MAX_VALUE, 10);
        assertEquals(List.of(t5, t3, t1), infoTids(log));
        assertArrayEquals(new long[]{Storage.ROOT_OID}, log.get(2).oids());
        assertEquals("first", log.get(2).note());
        assertArrayEquals(new long[]{a}, log.get(1).oids());
        assertEquals("carol", log.get(0).user());
        assertEquals(List.of(t3, t1), infoTids(storage.transactionLog(t4, 10)), "asked from a dropped tid");
        if (reopenable()) {
            storage = reopen(storage);
            List<TransactionInfo> reopened = storage.transactionLog(Long.MAX_VALUE, 10);
            assertEquals(List.of(t5, t3, t1), infoTids(reopened));
            assertArrayEquals(new long[]{Storage.ROOT_OID}, reopened.get(2).oids());
            assertEquals("last", reopened.get(0).note());
        }
        long t6 = commit(a, t5, record("a v5"));
        assertEquals(List.of(t6, t5), infoTids(storage.transactionLog(Long.MAX_VALUE, 2)),
                "a commit after the pack heads the log");
    }

    private static List<Long> infoTids(List<TransactionInfo> transactions) {
        return transactions.stream().map(TransactionInfo::tid).toList();
    }

    // ---------------------------------------------------------------- views (one per connection)

    @Test
    void aViewReadsTheSnapshotItOpenedAtWhileOthersCommit() throws Exception {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("v1"));
        long later = storage.newOid();
        try (StorageView view = storage.openView()) {
            assertEquals(t1, view.snapshotTid());
            Thread other = new Thread(() -> {
                long serial = t1;
                for (int i = 2; i <= 20; i++) {
                    serial = commit(oid, serial, record("v" + i));
                }
                commit(later, Storage.NO_TID, record("later"));
            });
            other.start();
            while (other.isAlive()) {
                Revision seen = view.load(oid);
                assertEquals("v1", label(seen), "a snapshot never shows a later commit");
                assertEquals(t1, seen.tid());
            }
            other.join();
            assertEquals(t1, view.snapshotTid(), "only poll moves the snapshot");
            assertEquals("v1", label(view.load(oid)));
            assertNull(view.load(later), "created after the snapshot");
            assertEquals("v20", label(storage.load(oid)), "the storage itself has moved on");
        }
    }

    @Test
    void pollReportsExactlyWhatWasCommittedSinceAndMovesToTheNewest() {
        long a = storage.newOid();
        long b = storage.newOid();
        long c = storage.newOid();
        long t0 = commit(storage, new TransactionMetadata("", ""), new long[]{a, b},
                new long[]{Storage.NO_TID, Storage.NO_TID}, record("a0"), record("b0"));
        try (StorageView view = storage.openView()) {
            Changes nothing = view.poll();
            assertEquals(new Changes(t0, List.of(), true), nothing, "nothing committed: the snapshot stays");
            assertEquals(t0, view.snapshotTid());

            long t1 = commit(storage, new TransactionMetadata("", ""), new long[]{a, c},
                    new long[]{t0, Storage.NO_TID}, record("a1"), record("c1"));
            long t2 = commit(b, t0, record("b2"));
            Changes changes = view.poll();
            assertTrue(changes.known());
            assertEquals(t2, changes.snapshotTid());
            assertEquals(t2, view.snapshotTid());
            assertEquals(List.of(t1, t2), tids(changes.transactions()), "oldest first, none left out");
            assertEquals(Set.of(a, c), oidSet(changes.transactions().get(0)));
            assertEquals(Set.of(b), oidSet(changes.transactions().get(1)));
            assertEquals("a1", label(view.load(a)), "loads read the new snapshot");
            assertEquals("b2", label(view.load(b)));
            assertEquals("c1", label(view.load(c)));

            assertTrue(view.poll().transactions().isEmpty(), "each commit is reported once");
            assertEquals(t2, view.snapshotTid());
        }
    }

    @Test
    void aViewOpenedAtATidNeverMoves() {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("one"));
        long t2 = commit(oid, t1, record("two"));
        try (StorageView past = storage.openView(t1)) {
            commit(oid, t2, record("three"));
            assertEquals(t1, past.snapshotTid());
            assertEquals(Changes.none(t1), past.poll(), "a fixed view's poll reports nothing and stays");
            assertEquals(t1, past.snapshotTid());
            assertEquals("one", label(past.load(oid)));
            assertEquals(t1, past.load(oid).tid());
        }
        assertThrows(IllegalArgumentException.class, () -> storage.openView(-1));
    }

    @Test
    void aViewWhoseSnapshotAPackPassedFailsItsLoadsAndSaysWhichIsOldest() {
        long root = Storage.ROOT_OID;
        long t1 = commit(root, Storage.NO_TID, record("root 1"));
        long t2 = commit(root, t1, record("root 2"));
        try (StorageView past = storage.openView(t1); StorageView current = storage.openView()) {
            storage.pack(t2, REFERENCES);
            assertThrows(StorageException.class, () -> past.load(root), "the revision it needs is gone");
            assertTrue(past.oldestSnapshot() > t1, "oldest " + past.oldestSnapshot() + " passed " + t1);
            assertEquals("root 2", label(current.load(root)), "a snapshot at the pack tid still reads");
        }
    }

    @Test
    void aClosedViewRefusesLoadsAndPollsClearly() {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("x"));
        StorageView view = storage.openView();
        view.close();
        assertDoesNotThrow(view::close, "close is idempotent");
        IllegalStateException load = assertThrows(IllegalStateException.class, () -> view.load(oid));
        assertTrue(load.getMessage().contains("closed"), load.getMessage());
        assertThrows(IllegalStateException.class, view::poll);
        assertEquals(t1, view.snapshotTid(), "the snapshot can still be read, by a pack on another thread");
        assertEquals("x", label(storage.load(oid)), "closing a view leaves its storage open");
    }

    // ---------------------------------------------------------------- batch loads

    /**
     * Forty objects written in one transaction in the reverse of their oids' order (so that log order is not
     * oid order), every third written again, one created later, one never written; asked shuffled, with a
     * repeat.
     */
    @Test
    void loadAllAtAnswersEveryOidAsLoadAtDoesInTheOrderAsked() {
        int n = 40;
        long[] oids = new long[n];
        for (int i = 0; i < n; i++) {
            oids[i] = storage.newOid();
        }
        long[] reversed = new long[n];
        byte[][] first = new byte[n][];
        for (int i = 0; i < n; i++) {
            reversed[i] = oids[n - 1 - i];
            first[i] = record((n - 1 - i) + " v1");
        }
        long t1 = commit(storage, new TransactionMetadata("", ""), reversed, new long[n], first);
        List<Long> again = new ArrayList<>();
        for (int i = 0; i < n; i += 3) {
            again.add(oids[i]);
        }
        long[] againOids = again.stream().mapToLong(Long::longValue).toArray();
        long[] serials = new long[againOids.length];
        Arrays.fill(serials, t1);
        byte[][] second = new byte[againOids.length][];
        for (int i = 0; i < againOids.length; i++) {
            second[i] = record((3 * i) + " v2");
        }
        long t2 = commit(storage, new TransactionMetadata("", ""), againOids, serials, second);
        long late = storage.newOid();
        long t3 = commit(late, Storage.NO_TID, record("late"));
        long never = storage.newOid();

        List<Long> shuffled = new ArrayList<>();
        for (long oid : oids) {
            shuffled.add(oid);
        }
        Collections.shuffle(shuffled, new Random(17));
        shuffled.add(7, late);
        shuffled.add(3, never);
        shuffled.add(oids[5]); // asked twice
        long[] asked = shuffled.stream().mapToLong(Long::longValue).toArray();

        for (long tid : new long[]{t1, t2, t3}) {
            Revision[] batch = storage.loadAllAt(asked, tid);
            assertEquals(asked.length, batch.length);
            for (int i = 0; i < asked.length; i++) {
                Revision one = storage.loadAt(asked[i], tid);
                if (one == null) {
                    assertNull(batch[i], "oid " + asked[i] + " did not exist at tid " + tid);
                } else {
                    assertEquals(asked[i], batch[i].oid(), "answers in the order asked");
                    assertEquals(one.tid(), batch[i].tid());
                    assertArrayEquals(one.data(), batch[i].data());
                }
            }
        }
        Revision[] atT1 = storage.loadAllAt(new long[]{oids[0], oids[1], late, never, oids[0]}, t1);
        assertEquals("0 v1", label(atT1[0]));
        assertEquals(t1, atT1[0].tid());
        assertEquals("1 v1", label(atT1[1]));
        assertNull(atT1[2], "created after the snapshot");
        assertNull(atT1[3], "never written");
        assertArrayEquals(atT1[0].data(), atT1[4].data(), "a repeated oid gets its answer at each place");
        assertNotSame(atT1[0].data(), atT1[4].data(), "each answer's bytes are the caller's own");
        Revision[] atT3 = storage.loadAllAt(new long[]{late, oids[0], oids[1]}, t3);
        assertEquals("late", label(atT3[0]));
        assertEquals("0 v2", label(atT3[1]));
        assertEquals(t2, atT3[1].tid());
        assertEquals("1 v1", label(atT3[2]));
        assertEquals(t1, atT3[2].tid(), "an object not written since keeps its revision");
        assertEquals(0, storage.loadAllAt(new long[0], t3).length, "no oids, no answers");
        if (reopenable()) {
            storage = reopen(storage);
            assertEquals("0 v1", label(storage.loadAllAt(new long[]{oids[0]}, t1)[0]), "also after a reopen");
        }
    }

    @Test
    void aViewsLoadAllReadsItsSnapshotUntilItPolls() {
        long a = storage.newOid();
        long b = storage.newOid();
        long t1 = commit(storage, new TransactionMetadata("", ""), new long[]{a, b},
                new long[]{Storage.NO_TID, Storage.NO_TID}, record("a1"), record("b1"));
        try (StorageView view = storage.openView(); StorageView past = storage.openView(t1)) {
            long t2 = commit(a, t1, record("a2"));
            long c = storage.newOid();
            commit(c, Storage.NO_TID, record("c"));
            Revision[] seen = view.loadAll(new long[]{b, a, c});
            assertEquals("b1", label(seen[0]));
            assertEquals("a1", label(seen[1]), "a snapshot never shows a later commit");
            assertNull(seen[2], "created after the snapshot");
            view.poll();
            seen = view.loadAll(new long[]{b, a, c});
            assertEquals("a2", label(seen[1]), "a poll moves the batch loads too");
            assertEquals(t2, seen[1].tid());
            assertEquals("c", label(seen[2]));
            assertEquals("a1", label(past.loadAll(new long[]{a})[0]), "a view fixed in the past reads its tid");
        }
        StorageView closed = storage.openView();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.loadAll(new long[]{a}));
    }

    @Test
    void loadAllAtFailsWholeWhenAPackRemovedWhatItsSnapshotNeeds() {
        long root = Storage.ROOT_OID;
        long kept = storage.newOid();
        long t1 = commit(storage, new TransactionMetadata("", ""), new long[]{root, kept},
                new long[]{Storage.NO_TID, Storage.NO_TID}, record("root 1", kept), record("kept"));
        long t2 = commit(root, t1, record("root 2", kept));
        try (StorageView past = storage.openView(t1); StorageView current = storage.openView()) {
            storage.pack(t2, REFERENCES);
            assertThrows(StorageException.class, () -> past.loadAll(new long[]{kept, root}));
            assertThrows(StorageException.class, () -> storage.loadAllAt(new long[]{root}, t1));
            Revision[] now = current.loadAll(new long[]{kept, root});
            assertEquals("kept", label(now[0]));
            assertEquals("root 2", label(now[1]), "a snapshot at the pack tid still reads");
        }
        if (reopenable()) {
            // after a reopen the storage may know of the pack only when a read meets it: that read names its oid
            storage = reopen(storage);
            StorageException e = assertThrows(StorageException.class,
                    () -> storage.loadAllAt(new long[]{kept, root}, t1));
            assertTrue(e.getMessage().contains("oid " + root), e.getMessage());
            assertFalse(e.getMessage().contains("oid " + kept), "only the failing oid is named: " + e.getMessage());
        }
    }

    @Test
    void loadAllAtOfAClosedStorageFails() {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("x"));
        storage.close();
        assertThrows(IllegalStateException.class, () -> storage.loadAllAt(new long[]{oid}, t1));
    }

    private static Set<Long> oidSet(CommittedTransaction t) {
        Set<Long> oids = new HashSet<>();
        for (long oid : t.oids()) {
            oids.add(oid);
        }
        return oids;
    }

    // ---------------------------------------------------------------- pack

    @Test
    void packDropsOldRevisionsAndUnreachableObjects() {
        long child = storage.newOid();
        long orphan = storage.newOid();
        long t1 = commit(storage, new TransactionMetadata("", ""),
                new long[]{Storage.ROOT_OID, child, orphan},
                new long[]{Storage.NO_TID, Storage.NO_TID, Storage.NO_TID},
                record("root", child, orphan), record("child v1"), record("orphan"));
        long t2 = commit(child, t1, record("child v2"));
        long t3 = commit(Storage.ROOT_OID, t1, record("root v2", child)); // orphan is now unreachable
        long t4 = commit(child, t2, record("child v3"));

        storage.pack(t3, REFERENCES);

        assertNull(storage.load(orphan), "unreachable object must be gone");
        assertEquals("child v3", label(storage.load(child)));
        assertEquals(t4, storage.load(child).tid());
        assertEquals("root v2", label(storage.load(Storage.ROOT_OID)));
        // snapshots at or after packTid still read correctly
        assertEquals("child v2", label(storage.loadAt(child, t3)));
        assertEquals("root v2", label(storage.loadAt(Storage.ROOT_OID, t3)));
        assertEquals("child v3", label(storage.loadAt(child, t4)));
        // older revisions are gone: asking for them is an error, not a wrong answer
        assertThrows(StorageException.class, () -> storage.loadAt(child, t1));
        assertEquals(List.of(t4, t2), storage.history(child, 10).stream().map(RevisionInfo::tid).toList());
        assertEquals(t4, storage.lastTid());

        // the storage keeps working after a pack
        long t5 = commit(child, t4, record("child v4"));
        assertEquals("child v4", label(storage.load(child)));
        assertEquals(t5, storage.lastTid());
        if (reopenable()) {
            storage = reopen(storage);
            assertNull(storage.load(orphan));
            assertEquals("child v4", label(storage.load(child)));
            assertEquals("child v2", label(storage.loadAt(child, t3)));
            assertEquals(t5, storage.lastTid());
            long next = storage.newOid();
            assertTrue(next != child && next != orphan, "pack must not make oids reusable");
        }
    }

    @Test
    void packDropsTheTransactionsItKeepsNoRevisionOfButTheNewest() {
        long a = storage.newOid();
        long t1 = commit(storage, new TransactionMetadata("", ""), new long[]{Storage.ROOT_OID, a},
                new long[]{Storage.NO_TID, Storage.NO_TID}, record("root", a), record("a v1"));
        long t2 = commit(a, t1, record("a v2"));
        long t3 = commit(a, t2, record("a v3"));
        long garbage = storage.newOid();
        long t4 = commit(garbage, Storage.NO_TID, record("nobody refers to this"));
        long t5 = commit(a, t3, record("a v4"));

        storage.pack(t4, REFERENCES);

        // t2 and t4 keep no revision: gone with their metadata; t5 came after packTid
        assertEquals(List.of(t1, t3, t5), tids(storage.transactionsAfter(Storage.NO_TID)));
        assertEquals(List.of(t3, t5), tids(storage.transactionsAfter(t2)), "asked from a dropped tid");
        assertEquals(List.of(t5, t3), storage.history(a, 10).stream().map(RevisionInfo::tid).toList());
        assertEquals(t5, storage.lastTid());

        // the newest transaction stays even when it keeps nothing: lastTid and the oid counter never go back
        long garbage2 = storage.newOid();
        long t6 = commit(garbage2, Storage.NO_TID, record("nor to this"));
        storage.pack(t6, REFERENCES);
        assertEquals(List.of(t1, t5, t6), tids(storage.transactionsAfter(Storage.NO_TID)));
        assertEquals(t6, storage.lastTid());
        assertNull(storage.load(garbage2));
        assertEquals("a v4", label(storage.load(a)));
        if (reopenable()) {
            storage = reopen(storage);
            assertEquals(List.of(t1, t5, t6), tids(storage.transactionsAfter(Storage.NO_TID)));
            assertEquals(t6, storage.lastTid());
            assertTrue(storage.newOid() > garbage2, "pack must not make oids reusable");
            assertTrue(commit(a, t5, record("a v5")) > t6);
        }
    }

    private static List<Long> tids(List<CommittedTransaction> transactions) {
        return transactions.stream().map(CommittedTransaction::tid).toList();
    }

    @Test
    void packKeepsPinnedRecordsThatNothingReferences() {
        long pinned = storage.newOid();
        long orphan = storage.newOid();
        long t1 = commit(storage, new TransactionMetadata("", ""),
                new long[]{Storage.ROOT_OID, pinned, orphan},
                new long[]{Storage.NO_TID, Storage.NO_TID, Storage.NO_TID},
                record("root"), record("pinned entry"), record("orphan"));
        ReferenceFinder pinning = new ReferenceFinder() {
            @Override
            public void references(byte[] record, java.util.function.LongConsumer oids) {
                REFERENCES.references(record, oids);
            }

            @Override
            public boolean pinned(byte[] record) {
                return label(record).startsWith("pinned");
            }
        };

        storage.pack(t1, pinning);

        assertEquals("pinned entry", label(storage.load(pinned)), "a pinned record survives pack");
        assertNull(storage.load(orphan), "an unpinned unreachable record does not");
        if (reopenable()) {
            storage = reopen(storage);
            assertEquals("pinned entry", label(storage.load(pinned)));
        }
    }

    @Test
    void packKeepsWhatRevisionsAfterPackTidReferTo() {
        long old = storage.newOid();
        long t1 = commit(storage, new TransactionMetadata("", ""), new long[]{Storage.ROOT_OID, old},
                new long[]{Storage.NO_TID, Storage.NO_TID}, record("root v1", old), record("old"));
        long t2 = commit(Storage.ROOT_OID, t1, record("root v2")); // old is unreachable from the newest root
        long lonely = storage.newOid();
        long t3 = commit(lonely, Storage.NO_TID, record("written after packTid, referred to by nothing"));

        storage.pack(t1, REFERENCES);

        assertEquals("old", label(storage.loadAt(old, t1)), "a snapshot at packTid still reaches old");
        assertEquals("root v1", label(storage.loadAt(Storage.ROOT_OID, t1)));
        assertEquals("root v2", label(storage.loadAt(Storage.ROOT_OID, t2)));
        assertNotNull(storage.load(lonely), "records after packTid are roots (as in ZODB's fspack)");
        assertEquals(t3, storage.lastTid());
        if (reopenable()) {
            storage = reopen(storage);
            assertEquals("old", label(storage.loadAt(old, t1)));
        }

        storage.pack(storage.lastTid(), REFERENCES); // now no snapshot can reach them
        assertNull(storage.load(old));
        assertNull(storage.load(lonely));
    }

    @Test
    void aCommitThatLinksAnObjectPackRemovedIsRefused() {
        long kept = storage.newOid();
        long dropped = storage.newOid();
        long t1 = commit(storage, new TransactionMetadata("", ""), new long[]{Storage.ROOT_OID, kept, dropped},
                new long[]{Storage.NO_TID, Storage.NO_TID, Storage.NO_TID},
                record("root", kept, dropped), record("kept"), record("dropped"));
        long t2 = commit(Storage.ROOT_OID, t1, record("root v2", kept));
        storage.pack(t2, REFERENCES);
        assertNull(storage.load(dropped));

        // a writer that still held the dropped object links it again, through a new object
        long fresh = storage.newOid();
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(Storage.ROOT_OID, t2, record("root v3", kept, fresh));
        txn.store(fresh, Storage.NO_TID, record("fresh", dropped));
        DanglingReferenceException e = assertThrows(DanglingReferenceException.class, txn::vote);
        txn.abort();
        assertEquals(dropped, e.oid());
        assertEquals(fresh, e.referencingOid());
        assertTrue(e.getMessage().contains("pack removed"), e.getMessage());
        assertEquals(t2, storage.lastTid(), "nothing was committed");
        assertEquals("root v2", label(storage.load(Storage.ROOT_OID)));

        // references to objects that exist, new ones included, still commit
        long t3 = commit(storage, new TransactionMetadata("", ""), new long[]{Storage.ROOT_OID, fresh},
                new long[]{t2, Storage.NO_TID}, record("root v3", kept, fresh), record("fresh", kept));
        assertEquals(t3, storage.lastTid());
        assertEquals("fresh", label(storage.load(fresh)));
    }

    @Test
    void packRunsWhileOthersCommitAndRead() throws Exception {
        long counter = storage.newOid();
        long t = commit(storage, new TransactionMetadata("", ""), new long[]{Storage.ROOT_OID, counter},
                new long[]{Storage.NO_TID, Storage.NO_TID}, record("root", counter), record("0"));
        for (int i = 1; i <= 50; i++) {
            t = commit(counter, t, record(Integer.toString(i)));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try {
                started.countDown();
                while (!stop.get()) {
                    Revision current = storage.load(counter);
                    int next = Integer.parseInt(label(current)) + 1;
                    commit(counter, current.tid(), record(Integer.toString(next)));
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        writer.start();
        started.await();
        for (int i = 0; i < 3; i++) {
            storage.pack(storage.lastTid(), REFERENCES);
        }
        stop.set(true);
        writer.join(30_000);
        assertNull(failure.get(), () -> "writer failed during pack: " + failure.get());
        Revision last = storage.load(counter);
        assertEquals(last.tid(), storage.lastTid());
        List<RevisionInfo> history = storage.history(counter, Integer.MAX_VALUE);
        assertEquals(last.tid(), history.get(0).tid());
        assertTrue(Integer.parseInt(label(last)) >= 50);
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentCommittersLoseNoUpdate() throws Exception {
        int threads = 4;
        int increments = 60;
        long counter = storage.newOid();
        commit(counter, Storage.NO_TID, record("0"));
        List<Long> privateOids = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            privateOids.add(storage.newOid());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long mine = privateOids.get(t);
                futures.add(pool.submit(() -> {
                    int conflicts = 0;
                    long mineSerial = Storage.NO_TID;
                    for (int i = 0; i < increments; i++) {
                        while (true) {
                            Revision current = storage.load(counter);
                            int value = Integer.parseInt(label(current));
                            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""),
                                    ConflictResolver.NONE);
                            try {
                                txn.store(counter, current.tid(), record(Integer.toString(value + 1)));
                                txn.store(mine, mineSerial, record("mine " + i));
                                txn.vote();
                                mineSerial = txn.finish();
                                break;
                            } catch (StorageConflictException e) {
                                txn.abort();
                                conflicts++;
                            }
                        }
                    }
                    return conflicts;
                }));
            }
            for (Future<Integer> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Integer.toString(threads * increments), label(storage.load(counter)));
        List<CommittedTransaction> all = storage.transactionsAfter(Storage.NO_TID);
        assertEquals(1 + threads * increments, all.size());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i).tid() > all.get(i - 1).tid(), "tids out of order");
        }
        for (long mine : privateOids) {
            assertEquals("mine " + (increments - 1), label(storage.load(mine)));
        }
    }

    @Test
    void loadsDoNotBlockBehindAVotedTransaction() throws Exception {
        long oid = storage.newOid();
        long t1 = commit(oid, Storage.NO_TID, record("v1"));
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, t1, record("v2"));
        txn.vote(); // holds the commit lock now
        try {
            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                Future<String> loaded = reader.submit(() -> label(storage.load(oid)));
                assertEquals("v1", loaded.get(10, TimeUnit.SECONDS));
                Future<Long> last = reader.submit(storage::lastTid);
                assertEquals(t1, last.get(10, TimeUnit.SECONDS));
            } finally {
                reader.shutdownNow();
            }
        } finally {
            txn.finish();
        }
        assertEquals("v2", label(storage.load(oid)));
    }

    // ---------------------------------------------------------------- close

    @Test
    void closeIsIdempotentAndLaterUseIsRefused() {
        long oid = storage.newOid();
        commit(oid, Storage.NO_TID, record("x"));
        storage.close();
        assertDoesNotThrow(storage::close);
        assertThrows(IllegalStateException.class, () -> storage.load(oid));
        assertThrows(IllegalStateException.class, () -> storage.loadAt(oid, Long.MAX_VALUE));
        assertThrows(IllegalStateException.class, storage::newOid);
        assertThrows(IllegalStateException.class, storage::lastTid);
        assertThrows(IllegalStateException.class,
                () -> storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE));
        assertThrows(IllegalStateException.class, () -> storage.history(oid, 1));
        assertThrows(IllegalStateException.class, () -> storage.transactionsAfter(0));
        assertThrows(IllegalStateException.class, () -> storage.pack(0, REFERENCES));
    }

    @Test
    void reopenedStorageHasEverythingCommitted() {
        if (!reopenable()) {
            return;
        }
        long a = storage.newOid();
        long b = storage.newOid();
        long t1 = commit(a, Storage.NO_TID, record("a1"));
        long t2 = commit(b, Storage.NO_TID, record("b1", a));
        long t3 = commit(a, t1, record("a2"));
        storage = reopen(storage);
        assertEquals(t3, storage.lastTid());
        assertEquals("a2", label(storage.load(a)));
        assertEquals("a1", label(storage.loadAt(a, t2)));
        assertEquals(t2, storage.load(b).tid());
        assertNotEquals(a, storage.newOid());
    }

    // ---------------------------------------------------------------- transactions and copies

    /** Every transaction {@link Storage#transactions} lists after {@code afterTid}. */
    protected static List<TransactionRecords> listed(Storage s, long afterTid) {
        List<TransactionRecords> all = new ArrayList<>();
        s.transactions(afterTid).forEachRemaining(all::add);
        return all;
    }

    private static long[] tidsOf(List<TransactionRecords> transactions) {
        return transactions.stream().mapToLong(t -> t.info().tid()).toArray();
    }

    private static List<String> labelsOf(TransactionRecords transaction) {
        List<String> labels = new ArrayList<>();
        for (Revision r : transaction.records()) {
            labels.add(label(r.data()));
        }
        return labels;
    }

    /** Copies {@code t} into {@code target} as {@link Storage#tpcBeginCopy} describes; returns finish's tid. */
    protected static long copyInto(Storage target, TransactionRecords t) {
        StorageTransaction txn = target.tpcBeginCopy(t.info());
        try {
            for (Revision r : t.records()) {
                txn.store(r.oid(), r.tid(), r.data());
            }
            txn.vote();
            return txn.finish();
        } catch (RuntimeException e) {
            txn.abort();
            throw e;
        }
    }

    @Test
    void transactionsListsEveryCommitOldestFirstWithItsMetadataAndRecordsInOrder() {
        long a = storage.newOid();
        long b = storage.newOid();
        long before = System.currentTimeMillis();
        long t1 = commit(storage, new TransactionMetadata("alice", "first"), new long[]{b, a},
                new long[]{Storage.NO_TID, Storage.NO_TID}, record("b1", a), record("a1"));
        long t2 = commit(a, t1, record("a2"));
        long t3 = commit(storage, new TransactionMetadata("", "third"), new long[]{a, b}, new long[]{t2, t1},
                record("a3"), record("b3"));
        long after = System.currentTimeMillis();

        List<TransactionRecords> all = listed(storage, Storage.NO_TID);
        assertArrayEquals(new long[]{t1, t2, t3}, tidsOf(all));
        TransactionInfo first = all.get(0).info();
        assertEquals("alice", first.user());
        assertEquals("first", first.note());
        assertTrue(first.timeMillis() >= before && first.timeMillis() <= after, "commit time " + first.timeMillis());
        assertArrayEquals(asListed(b, a), first.oids(), "the records in the order they were stored");
        assertEquals(keepsRecordOrder() ? List.of("b1", "a1") : List.of("a1", "b1"), labelsOf(all.get(0)));
        for (TransactionRecords t : all) {
            assertEquals(t.info().oids().length, t.records().size());
            for (int i = 0; i < t.records().size(); i++) {
                assertEquals(t.info().oids()[i], t.records().get(i).oid());
                assertEquals(t.info().tid(), t.records().get(i).tid());
            }
        }
        assertEquals("", all.get(2).info().user());
        assertEquals("third", all.get(2).info().note());
        assertEquals(List.of("a3", "b3"), labelsOf(all.get(2)));

        assertArrayEquals(new long[]{t2, t3}, tidsOf(listed(storage, t1)), "only the transactions after t1");
        assertArrayEquals(new long[]{t3}, tidsOf(listed(storage, t2 + (t3 - t2) / 2)), "after a tid between two");
        assertTrue(listed(storage, t3).isEmpty(), "nothing after the last");
        Iterator<TransactionRecords> done = storage.transactions(t3);
        assertFalse(done.hasNext());
        assertThrows(java.util.NoSuchElementException.class, done::next);
        assertTrue(listed(newStorageClosedAfter(), Storage.NO_TID).isEmpty(), "an empty storage lists nothing");
    }

    /** An empty second storage that is closed at the end of the test. */
    private Storage newStorageClosedAfter() {
        Storage other = newStorage();
        others.add(other);
        return other;
    }

    private final List<Storage> others = new ArrayList<>();

    @AfterEach
    void closeOthers() {
        others.forEach(Storage::close);
    }

    @Test
    void transactionsReadsOnDemand() {
        long a = storage.newOid();
        long t1 = commit(a, Storage.NO_TID, record("a1"));
        long t2 = commit(a, t1, record("a2"));
        Iterator<TransactionRecords> walk = storage.transactions(Storage.NO_TID);
        assertEquals(t1, walk.next().info().tid());
        long t3 = commit(a, t2, record("a3"));
        assertEquals(t2, walk.next().info().tid(), "a commit during the walk changes nothing before it");
        if (walk.hasNext()) {
            assertEquals(t3, walk.next().info().tid(), "a commit during the walk may be listed, in its place");
        }
        assertFalse(walk.hasNext());
        Iterator<TransactionRecords> open = storage.transactions(Storage.NO_TID);
        storage.close();
        assertThrows(IllegalStateException.class, open::hasNext, "the walk reads the storage as it goes");
        assertThrows(IllegalStateException.class, () -> storage.transactions(Storage.NO_TID));
        assertThrows(IllegalStateException.class,
                () -> storage.tpcBeginCopy(new TransactionInfo(t3 + 1, 0, "", "", new long[0])));
    }

    @Test
    void transactionsAfterAPackListOnlyWhatIsKept() {
        long a = storage.newOid();
        long gone = storage.newOid();
        long t1 = commit(storage, new TransactionMetadata("", ""), new long[]{Storage.ROOT_OID, a},
                new long[]{Storage.NO_TID, Storage.NO_TID}, record("root", a), record("a1"));
        long t2 = commit(storage, new TransactionMetadata("", ""), new long[]{a, gone},
                new long[]{t1, Storage.NO_TID}, record("a2"), record("unreachable"));
        long t3 = commit(a, t2, record("a3"));
        storage.pack(t3, REFERENCES);

        List<TransactionRecords> kept = listed(storage, Storage.NO_TID);
        assertArrayEquals(new long[]{t1, t3}, tidsOf(kept), "t2 kept no revision: pack dropped it");
        assertArrayEquals(new long[]{Storage.ROOT_OID}, kept.get(0).info().oids(), "only t1's kept record");
        assertEquals(List.of("root"), labelsOf(kept.get(0)));
        assertEquals(List.of("a3"), labelsOf(kept.get(1)));
        assertArrayEquals(new long[]{t3}, tidsOf(listed(storage, t1)));
        if (reopenable()) {
            storage = reopen(storage);
            List<TransactionRecords> reopened = listed(storage, Storage.NO_TID);
            assertArrayEquals(new long[]{t1, t3}, tidsOf(reopened), "the same after a reopen");
            assertEquals(List.of("root"), labelsOf(reopened.get(0)));
            assertArrayEquals(new long[]{t3}, tidsOf(listed(storage, t1)));
        }
    }

    @Test
    void transactionsAreListedAlikeAfterAReopen() {
        if (!reopenable()) {
            return;
        }
        long a = storage.newOid();
        long t1 = commit(a, Storage.NO_TID, record("a1"));
        long t2 = commit(storage, new TransactionMetadata("bob", "second"), new long[]{a}, new long[]{t1},
                record("a2"));
        List<TransactionRecords> before = listed(storage, Storage.NO_TID);
        storage = reopen(storage);
        List<TransactionRecords> after = listed(storage, Storage.NO_TID);
        assertArrayEquals(new long[]{t1, t2}, tidsOf(after));
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).info().timeMillis(), after.get(i).info().timeMillis());
            assertEquals(before.get(i).info().user(), after.get(i).info().user());
            assertEquals(before.get(i).info().note(), after.get(i).info().note());
            assertEquals(labelsOf(before.get(i)), labelsOf(after.get(i)));
        }
        assertArrayEquals(new long[]{t2}, tidsOf(listed(storage, t1)));
    }

    @Test
    void aCopiedTransactionKeepsItsTidTimeUserNoteAndRecords() {
        long a = storage.newOid();
        long b = storage.newOid();
        long t1 = commit(storage, new TransactionMetadata("alice", "one"), new long[]{Storage.ROOT_OID, a},
                new long[]{Storage.NO_TID, Storage.NO_TID}, record("root", a), record("a1"));
        long t2 = commit(storage, new TransactionMetadata("bob", "two"), new long[]{b, a},
                new long[]{Storage.NO_TID, t1}, record("b1"), record("a2", b));
        List<TransactionRecords> source = listed(storage, Storage.NO_TID);

        Storage target = newStorageClosedAfter();
        for (TransactionRecords t : source) {
            assertEquals(t.info().tid(), copyInto(target, t), "finish returns the copied tid");
        }
        assertEquals(t2, target.lastTid());
        assertEquals("a1", label(target.loadAt(a, t1)));
        assertEquals("a2", label(target.load(a)));
        assertEquals(t2, target.load(b).tid());
        List<RevisionInfo> history = target.history(a, 10);
        assertEquals(2, history.size());
        assertEquals(t2, history.get(0).tid());
        assertEquals("bob", history.get(0).user());
        assertEquals("two", history.get(0).note());
        assertEquals(source.get(1).info().timeMillis(), history.get(0).timeMillis());
        assertEquals(source.get(0).info().timeMillis(), history.get(1).timeMillis());
        List<TransactionRecords> copied = listed(target, Storage.NO_TID);
        assertArrayEquals(tidsOf(source), tidsOf(copied));
        for (int i = 0; i < source.size(); i++) {
            assertArrayEquals(source.get(i).info().oids(), copied.get(i).info().oids());
            assertEquals(labelsOf(source.get(i)), labelsOf(copied.get(i)));
        }
        long t3 = commit(target, new TransactionMetadata("", ""), new long[]{a}, new long[]{t2}, record("a3"));
        assertTrue(t3 > t2, "an ordinary commit after the copy gets a later tid");
    }

    @Test
    void aCopyIsRefusedForATidNotAfterTheLastAndChecksNothing() {
        long a = storage.newOid();
        long t1 = commit(a, Storage.NO_TID, record("a1"));
        for (long old : new long[]{t1, t1 - 1}) {
            StorageTransaction txn = storage.tpcBeginCopy(new TransactionInfo(old, 1L, "", "", new long[]{a}));
            txn.store(a, Storage.NO_TID, record("stale"));
            StorageException refused = assertThrows(StorageException.class, txn::vote);
            txn.abort();
            assertTrue(refused.getMessage().contains(Long.toString(old))
                    && refused.getMessage().contains(Long.toString(t1)), refused.getMessage());
        }
        assertEquals(t1, storage.lastTid(), "nothing committed");
        assertEquals("a1", label(storage.load(a)));

        StorageTransaction checking = storage.tpcBeginCopy(new TransactionInfo(t1 + 1, 1L, "", "", new long[]{a}));
        assertThrows(IllegalStateException.class, () -> checking.checkCurrent(a, t1));
        checking.abort();

        // serials are ignored: a stale one neither conflicts nor is resolved
        StorageTransaction copy = storage.tpcBeginCopy(new TransactionInfo(t1 + 5, 7L, "u", "n", new long[]{a}));
        copy.store(a, Storage.NO_TID, record("copied"));
        assertEquals(0, copy.vote().length);
        assertEquals(t1 + 5, copy.finish());
        assertEquals("copied", label(storage.load(a)));
        assertEquals(t1 + 5, storage.lastTid());
        assertEquals(7L, storage.history(a, 1).get(0).timeMillis());
        long next = commit(a, t1 + 5, record("after"));
        assertTrue(next > t1 + 5, "the commit lock was released and tids go on growing: " + next);
    }

    @Test
    void oidsAllocatedAfterACopyAreAboveEveryCopiedOid() {
        long high = 1_000_000L;
        long tid = 5L << 20;
        long finished = copyInto(storage, new TransactionRecords(
                new TransactionInfo(tid, 3L, "", "", new long[]{Storage.ROOT_OID, high}),
                List.of(new Revision(Storage.ROOT_OID, tid, record("root", high)),
                        new Revision(high, tid, record("high")))));
        assertEquals(tid, finished);
        long next = storage.newOid();
        assertTrue(next > high, "newOid " + next + " after copying oid " + high);
        if (reopenable()) {
            storage = reopen(storage);
            long again = storage.newOid();
            assertTrue(again > high, "newOid " + again + " after a reopen");
            assertEquals("high", label(storage.load(high)));
            assertEquals(tid, storage.lastTid());
        }
    }

    @Test
    void aCopiedTransactionWithoutRecordsIsKept() {
        long a = storage.newOid();
        long t1 = commit(a, Storage.NO_TID, record("a1"));
        long empty = t1 + 3;
        assertEquals(empty, copyInto(storage, new TransactionRecords(
                new TransactionInfo(empty, 9L, "", "nothing", new long[0]), List.of())));
        assertEquals(empty, storage.lastTid());
        List<TransactionRecords> listed = listed(storage, t1);
        assertArrayEquals(new long[]{empty}, tidsOf(listed));
        assertEquals("nothing", listed.get(0).info().note());
        assertTrue(listed.get(0).records().isEmpty());
        if (reopenable()) {
            storage = reopen(storage);
            assertEquals(empty, storage.lastTid());
            assertArrayEquals(new long[]{empty}, tidsOf(listed(storage, t1)));
        }
    }
}
