package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jodb.spi.CommitNotDoneException;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.OnePhaseOutcome;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.StorageUnavailableException;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One-phase commits of several threads of one storage share one database transaction (one flush): a first commit
 * is held at its vote until three more wait behind it, and those three then commit as one group. Each member is
 * told the truth when the group's connection is lost during its call or its COMMIT (all of it or none), a member
 * that conflicts fails alone (or merges and commits after), and every commit keeps its own tid.
 */
class GroupCommitTest extends PgSchemas {
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final List<PostgresStorage> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        opened.forEach(PostgresStorage::close);
    }

    private PostgresStorage open(String schema) {
        PostgresStorage s = PostgresStorage.open(server.url(schema), PostgresOptions.defaults());
        opened.add(s);
        return s;
    }

    /**
     * Holds the first group at its vote until {@code behind} commits wait for the next group, then breaks that
     * next group's connection at {@code killAt} ("vote", "commit", "after commit", or "none").
     */
    private static final class Gather implements CommitHooks {
        private final PostgresStorage storage;
        private final int behind;
        private final String killAt;
        private final CompletableFuture<Void> holding = new CompletableFuture<>();
        private int groups;

        Gather(PostgresStorage storage, int behind, String killAt) {
            this.storage = storage;
            this.behind = behind;
            this.killAt = killAt;
        }

        @Override
        public void atVote(int backendPid) {
            groups++;
            if (groups == 1) {
                holding.complete(null);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (storage.commitGroup.waiting() < behind) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the other commits never queued");
                    }
                    sleep();
                }
            } else {
                kill("vote", backendPid);
            }
        }

        @Override
        public void beforeCommit(int backendPid) {
            kill("commit", backendPid);
        }

        @Override
        public void afterCommit(int backendPid) {
            kill("after commit", backendPid);
        }

        private void kill(String here, int backendPid) {
            if (groups == 2 && here.equals(killAt)) {
                try {
                    server.terminate(backendPid);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static StorageTransaction write(Storage s, ConflictResolver resolver, long oid, long serial, String text) {
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", text), resolver);
        txn.store(oid, serial, text.getBytes());
        return txn;
    }

    /** Commits {@code first} alone (held at its vote), then {@code group} together; the futures of the group. */
    private List<Future<OnePhaseOutcome>> commitGrouped(PostgresStorage s, Gather gather, StorageTransaction first,
            List<StorageTransaction> group, List<OnePhaseOutcome> firstOutcome) throws Exception {
        s.hooks = gather;
        Future<OnePhaseOutcome> lead = threads.submit(first::voteAndFinish);
        gather.holding.get(60, TimeUnit.SECONDS);
        List<Future<OnePhaseOutcome>> futures = new ArrayList<>();
        for (StorageTransaction txn : group) {
            futures.add(threads.submit(txn::voteAndFinish));
        }
        firstOutcome.add(lead.get(60, TimeUnit.SECONDS));
        for (Future<OnePhaseOutcome> f : futures) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException expected) {
                // each test looks at its member's failure
            }
        }
        s.hooks = CommitHooks.NONE;
        return futures;
    }

    private static Throwable failure(Future<OnePhaseOutcome> f) {
        try {
            f.get();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("the commit did not fail");
    }

    private static boolean succeeded(Future<OnePhaseOutcome> f) {
        try {
            f.get();
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The database transaction that wrote each transaction's row (its {@code xmin}). */
    private static List<String> writers(String schema, long... tids) throws SQLException {
        List<String> xids = new ArrayList<>();
        try (Connection c = server.admin()) {
            for (long tid : tids) {
                try (PreparedStatement st = c.prepareStatement("SELECT xmin::text FROM " + schema
                        + ".transactions WHERE tid = ?")) {
                    st.setLong(1, tid);
                    try (ResultSet rs = st.executeQuery()) {
                        assertTrue(rs.next(), "transaction " + tid + " is stored");
                        xids.add(rs.getString(1));
                    }
                }
            }
        }
        return xids;
    }

    @Test
    void commitsWaitingBehindAGroupCommitAsOneDatabaseTransactionWithTidsOfTheirOwn() throws Exception {
        String schema = schema("group_ok");
        PostgresStorage s = open(schema);
        long[] oids = {s.newOid(), s.newOid(), s.newOid(), s.newOid()};
        List<StorageTransaction> group = new ArrayList<>();
        for (int i = 1; i < 4; i++) {
            group.add(write(s, ConflictResolver.NONE, oids[i], Storage.NO_TID, "member " + i));
        }
        List<OnePhaseOutcome> first = new ArrayList<>();
        List<Future<OnePhaseOutcome>> futures = commitGrouped(s, new Gather(s, 3, "none"),
                write(s, ConflictResolver.NONE, oids[0], Storage.NO_TID, "first"), group, first);

        long[] tids = new long[3];
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            tids[i] = futures.get(i).get().tid();
            distinct.add(tids[i]);
            assertEquals(tids[i], s.load(oids[i + 1]).tid());
            assertEquals("member " + (i + 1), new String(s.load(oids[i + 1]).data()));
            assertTrue(tids[i] > first.get(0).tid());
        }
        assertEquals(3, distinct.size(), "a tid each");
        List<String> xids = writers(schema, tids);
        assertEquals(1, new HashSet<>(xids).size(), "one database transaction for the group: " + xids);
        assertNotEquals(xids.get(0), writers(schema, first.get(0).tid()).get(0), "the first committed before");
        assertEquals(distinct.stream().mapToLong(Long::longValue).max().getAsLong(), s.lastTid());
        assertEquals(0, s.commitGroup.waiting());
    }

    @Test
    void aGroupWhoseConnectionIsLostDuringItsCallStoresNothingAndEachMemberIsToldSo() throws Exception {
        assertLostGroupStoresNothing("group_vote", "vote", StorageUnavailableException.class,
                "nothing was committed");
    }

    @Test
    void aGroupWhoseConnectionIsLostBeforeItsCommitIsSettledAsNotCommittedForEveryMember() throws Exception {
        assertLostGroupStoresNothing("group_commit", "commit", CommitNotDoneException.class, "did not commit");
    }

    /**
     * A group of three behind a first commit loses its connection at {@code step} (the hook's name): each member
     * fails with {@code failure} saying {@code said}, none of their records is stored, and the storage still
     * works.
     */
    private void assertLostGroupStoresNothing(String schemaName, String step, Class<? extends Throwable> failure,
                                              String said) throws Exception {
        PostgresStorage s = open(schema(schemaName));
        long[] oids = {s.newOid(), s.newOid(), s.newOid(), s.newOid()};
        List<StorageTransaction> group = new ArrayList<>();
        for (int i = 1; i < 4; i++) {
            group.add(write(s, ConflictResolver.NONE, oids[i], Storage.NO_TID, "lost " + i));
        }
        List<OnePhaseOutcome> first = new ArrayList<>();
        List<Future<OnePhaseOutcome>> futures = commitGrouped(s, new Gather(s, 3, step),
                write(s, ConflictResolver.NONE, oids[0], Storage.NO_TID, "first"), group, first);
        for (Future<OnePhaseOutcome> f : futures) {
            Throwable e = failure(f);
            assertInstanceOf(failure, e);
            assertTrue(e.getMessage().contains(said), e.getMessage());
        }
        for (int i = 1; i < 4; i++) {
            assertNull(s.load(oids[i]));
        }
        assertEquals(first.get(0).tid(), s.lastTid());
        group.forEach(StorageTransaction::abort); // after a failed commit abort is allowed and changes nothing
        assertUsable(s, oids[1]);
    }

    @Test
    void aGroupWhoseConnectionIsLostAfterItsCommitTellsEveryMemberItsTid() throws Exception {
        String schema = schema("group_after");
        PostgresStorage s = open(schema);
        long[] oids = {s.newOid(), s.newOid(), s.newOid(), s.newOid()};
        List<StorageTransaction> group = new ArrayList<>();
        for (int i = 1; i < 4; i++) {
            group.add(write(s, ConflictResolver.NONE, oids[i], Storage.NO_TID, "kept " + i));
        }
        List<OnePhaseOutcome> first = new ArrayList<>();
        List<Future<OnePhaseOutcome>> futures = commitGrouped(s, new Gather(s, 3, "after commit"),
                write(s, ConflictResolver.NONE, oids[0], Storage.NO_TID, "first"), group, first);
        for (int i = 0; i < 3; i++) {
            long tid = futures.get(i).get().tid();
            assertEquals(tid, s.load(oids[i + 1]).tid());
            assertEquals("kept " + (i + 1), new String(s.load(oids[i + 1]).data()));
            assertEquals(1, s.history(oids[i + 1], 10).size(), "committed once");
        }
        assertUsable(s, oids[1]);
    }

    @Test
    void aMemberThatConflictsFailsAloneWhileTheOthersCommit() throws Exception {
        String schema = schema("group_conflict");
        PostgresStorage s = open(schema);
        long shared = s.newOid();
        long other = s.newOid();
        long t0 = write(s, ConflictResolver.NONE, shared, Storage.NO_TID, "start").voteAndFinish().tid();
        List<StorageTransaction> group = List.of(
                write(s, ConflictResolver.NONE, shared, t0, "one"),
                write(s, ConflictResolver.NONE, shared, t0, "two"),
                write(s, ConflictResolver.NONE, other, Storage.NO_TID, "other"));
        List<OnePhaseOutcome> first = new ArrayList<>();
        List<Future<OnePhaseOutcome>> futures = commitGrouped(s, new Gather(s, 3, "none"),
                write(s, ConflictResolver.NONE, s.newOid(), Storage.NO_TID, "first"), group, first);

        int winner = succeeded(futures.get(0)) ? 0 : 1;
        int loser = 1 - winner;
        assertTrue(succeeded(futures.get(winner)), "one of the two writers of the object commits");
        StorageConflictException conflict = assertInstanceOf(StorageConflictException.class,
                failure(futures.get(loser)));
        assertEquals(shared, conflict.oid());
        assertEquals(t0, conflict.readSerial());
        long won = futures.get(winner).get().tid();
        assertEquals(won, conflict.currentSerial(), "it conflicts with the member before it");
        assertEquals(winner == 0 ? "one" : "two", new String(s.load(shared).data()));
        long otherTid = futures.get(2).get().tid();
        assertEquals("other", new String(s.load(other).data()));
        assertEquals(1, new HashSet<>(writers(schema, won, otherTid)).size(), "the others committed together");
        group.get(loser).abort();
        assertUsable(s, shared);
    }

    @Test
    void aMemberWhoseConflictTheResolverMergesCommitsAfterTheGroup() throws Exception {
        String schema = schema("group_merge");
        PostgresStorage s = open(schema);
        long shared = s.newOid();
        // appends what the writer added to what was committed meanwhile
        ConflictResolver appending = (oid, old, committed, mine) ->
                (new String(committed) + new String(mine).substring(new String(old).length())).getBytes();
        long t0 = write(s, appending, shared, Storage.NO_TID, "x").voteAndFinish().tid();
        List<StorageTransaction> group = List.of(write(s, appending, shared, t0, "xa"),
                write(s, appending, shared, t0, "xb"), write(s, appending, shared, t0, "xc"));
        List<OnePhaseOutcome> first = new ArrayList<>();
        List<Future<OnePhaseOutcome>> futures = commitGrouped(s, new Gather(s, 3, "none"),
                write(s, appending, s.newOid(), Storage.NO_TID, "first"), group, first);
        String merged = new String(s.load(shared).data());
        assertEquals(4, merged.length(), merged);
        assertEquals(Set.of('x', 'a', 'b', 'c'), merged.chars().mapToObj(ch -> (char) ch)
                .collect(java.util.stream.Collectors.toSet()), merged);
        int mergedMembers = 0;
        for (Future<OnePhaseOutcome> f : futures) {
            long[] resolved = f.get().resolvedOids();
            if (resolved.length > 0) {
                assertArrayEquals(new long[] {shared}, resolved);
                mergedMembers++;
            }
        }
        assertEquals(2, mergedMembers, "the two after the first were merged");
        assertEquals(4, s.history(shared, 10).size());
    }

    /** The storage commits again, and the commit lock is free. */
    private static void assertUsable(PostgresStorage s, long oid) {
        long serial = s.load(oid) == null ? Storage.NO_TID : s.load(oid).tid();
        long tid = write(s, ConflictResolver.NONE, oid, serial, "after").voteAndFinish().tid();
        assertEquals(tid, s.lastTid());
        assertEquals(0, s.commitGroup.waiting());
    }
}
