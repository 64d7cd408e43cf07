package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.log.LogIo;
import org.jodb.storage.internal.log.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits that wait while a force runs share the next one (group commit): one committer's force is held
 * until four more transactions have committed; then exactly one more force makes all four durable. A force
 * that fails fails every commit waiting for it.
 */
class GroupCommitTest {

    @TempDir
    Path dir;

    @Test
    void committersWaitingDuringAForceShareTheNextOne() throws Exception {
        CountDownLatch forceEntered = new CountDownLatch(1);
        CountDownLatch releaseForce = new CountDownLatch(1);
        AtomicInteger forces = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean opened = new java.util.concurrent.atomic.AtomicBoolean();
        LogIo io = new LogIo() {
            @Override
            public void force(Segment segment, int from, int to) {
                if (!opened.get()) {
                    LogIo.super.force(segment, from, to); // open forces the recovered end: not a commit's
                    return;
                }
                if (forces.incrementAndGet() == 1) {
                    forceEntered.countDown();
                    await(releaseForce);
                }
                LogIo.super.force(segment, from, to);
            }
        };
        try (MappedFileStorage storage = MappedFileStorage.open(dir,
                StorageOptions.builder().indexCapacity(1_000).build(), io)) {
            opened.set(true);
            List<Thread> committers = new ArrayList<>();
            Thread first = commitInThread(storage);
            committers.add(first);
            assertTrue(forceEntered.await(30, TimeUnit.SECONDS), "the first commit reached its force");
            long before = storage.lastTid();
            for (int i = 0; i < 4; i++) {
                committers.add(commitInThread(storage));
            }
            while (countCommitsAfter(storage, before) < 4) {
                Thread.onSpinWait(); // the four published their commits (and wait for durability, or soon will)
            }
            releaseForce.countDown();
            for (Thread t : committers) {
                t.join(30_000);
                assertTrue(!t.isAlive(), "every commit returned");
            }
            assertEquals(2, forces.get(), "the four commits made during the first force shared one force");
        }
    }

    @Test
    void aFailedForceFailsEveryCommitWaitingForIt() throws Exception {
        CountDownLatch forceEntered = new CountDownLatch(1);
        CountDownLatch releaseForce = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean opened = new java.util.concurrent.atomic.AtomicBoolean();
        LogIo io = new LogIo() {
            @Override
            public void force(Segment segment, int from, int to) {
                if (!opened.get()) {
                    LogIo.super.force(segment, from, to); // open forces the recovered end: not a commit's
                    return;
                }
                forceEntered.countDown();
                await(releaseForce);
                throw new java.io.UncheckedIOException(new java.io.IOException("injected fdatasync failure"));
            }
        };
        List<Throwable> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        try (MappedFileStorage storage = MappedFileStorage.open(dir,
                StorageOptions.builder().indexCapacity(1_000).build(), io)) {
            opened.set(true);
            List<Thread> committers = new ArrayList<>();
            committers.add(commitInThread(storage, outcomes));
            assertTrue(forceEntered.await(30, TimeUnit.SECONDS), "the first commit reached its force");
            long before = storage.lastTid();
            for (int i = 0; i < 3; i++) {
                committers.add(commitInThread(storage, outcomes));
            }
            while (countCommitsAfter(storage, before) < 3) {
                Thread.onSpinWait();
            }
            releaseForce.countDown();
            for (Thread t : committers) {
                t.join(30_000);
                assertTrue(!t.isAlive(), "every commit returned or failed; none hangs");
            }
        }
        assertEquals(4, outcomes.size());
        for (Throwable outcome : outcomes) {
            assertTrue(outcome instanceof org.jodb.spi.StorageException,
                    "a commit whose force failed must not report success: " + outcome);
        }
    }

    private static Thread commitInThread(Storage storage, List<Throwable> outcomes) {
        Thread t = new Thread(() -> {
            try {
                StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
                txn.store(storage.newOid(), Storage.NO_TID, new byte[]{1});
                txn.vote();
                txn.finish();
                outcomes.add(new AssertionError("finish returned"));
            } catch (RuntimeException e) {
                outcomes.add(e);
            }
        });
        t.start();
        return t;
    }

    private static int countCommitsAfter(Storage storage, long tid) {
        return storage.transactionsAfter(tid).size();
    }

    private static Thread commitInThread(Storage storage) {
        Thread t = new Thread(() -> {
            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            txn.store(storage.newOid(), Storage.NO_TID, new byte[]{1});
            txn.vote();
            txn.finish();
        });
        t.start();
        return t;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("force never released");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
