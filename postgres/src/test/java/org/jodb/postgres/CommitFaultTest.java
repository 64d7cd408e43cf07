package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jodb.spi.CommitNotDoneException;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committing connection's server process ended ({@code pg_terminate_backend}) at each step of the
 * two-phase commit, with and without PREPARE TRANSACTION: never a partial or doubled transaction, and vote or
 * finish says what happened: vote fails with nothing stored; finish returns the tid when the transaction
 * committed and throws {@link CommitNotDoneException} when it did not. A transaction prepared by a process that
 * died is rolled back by the next storage that opens.
 */
class CommitFaultTest extends PgSchemas {
    private final List<PostgresStorage> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(PostgresStorage::close);
    }

    private PostgresStorage open(String schema, boolean prepared) {
        PostgresStorage s = PostgresStorage.open(server.url(schema),
                PostgresOptions.defaults().withPreparedTransactions(prepared));
        opened.add(s);
        assertEquals(prepared, s.prepares, "the test server allows prepared transactions");
        return s;
    }

    /** Ends the committing connection's server process at the chosen hook. */
    private static final class Killer implements CommitHooks {
        final String at;
        int pid;

        Killer(String at) {
            this.at = at;
        }

        private void maybe(String here, int backendPid) {
            pid = backendPid;
            if (here.equals(at)) {
                try {
                    server.terminate(backendPid);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public void atVote(int backendPid) {
            maybe("vote", backendPid);
        }

        @Override
        public void beforeCommit(int backendPid) {
            maybe("before commit", backendPid);
        }

        @Override
        public void afterCommit(int backendPid) {
            maybe("after commit", backendPid);
        }
    }

    private static StorageTransaction write(Storage s, long oid, long serial, String text) {
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        txn.store(oid, serial, text.getBytes());
        return txn;
    }

    private static long commit(Storage s, long oid, long serial, String text) {
        StorageTransaction txn = write(s, oid, serial, text);
        txn.vote();
        return txn.finish();
    }

    /** The storage is whole and usable: the commit lock is free and nothing is left prepared. */
    private void assertUsable(PostgresStorage s, long oid) throws SQLException {
        long serial = s.load(oid) == null ? Storage.NO_TID : s.load(oid).tid();
        long tid = commit(s, oid, serial, "after");
        assertEquals(tid, s.lastTid());
        assertEquals(0, preparedCount(s.schema));
    }

    private static int preparedCount(String schema) throws SQLException {
        try (Connection c = server.admin(); PreparedStatement st = c.prepareStatement(
                "SELECT count(*) FROM pg_prepared_xacts WHERE starts_with(gid, ?)")) {
            st.setString(1, "jodb|" + schema + "|");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @ParameterizedTest(name = "prepared transactions: {0}")
    @ValueSource(booleans = {true, false})
    void aConnectionLostAtVoteFailsTheVoteAndStoresNothing(boolean prepared) throws SQLException {
        PostgresStorage s = open(schema("fault_vote"), prepared);
        long oid = s.newOid();
        long t1 = commit(s, oid, Storage.NO_TID, "kept");
        s.hooks = new Killer("vote");
        StorageTransaction txn = write(s, oid, t1, "lost");
        StorageException e = assertThrows(StorageException.class, txn::vote);
        assertFalse(e instanceof StorageConflictException);
        assertTrue(e.getMessage().contains("nothing was committed"), e.getMessage());
        txn.abort();
        s.hooks = CommitHooks.NONE;
        assertEquals("kept", new String(s.load(oid).data()));
        assertEquals(t1, s.lastTid());
        assertEquals(1, s.history(oid, 10).size());
        assertUsable(s, oid);
    }

    @Test
    void aPreparedTransactionWhoseConnectionIsLostBeforeFinishCommitsAtFinish() throws SQLException {
        PostgresStorage s = open(schema("fault_before"), true);
        long oid = s.newOid();
        long t1 = commit(s, oid, Storage.NO_TID, "first");
        Killer killer = new Killer("none");
        s.hooks = killer;
        StorageTransaction txn = write(s, oid, t1, "second");
        txn.vote();
        server.terminate(killer.pid); // the prepared transaction outlives its connection
        long t2 = txn.finish();
        s.hooks = CommitHooks.NONE;
        assertTrue(t2 > t1);
        assertEquals("second", new String(s.load(oid).data()));
        assertEquals(List.of(t2, t1), s.history(oid, 10).stream().map(r -> r.tid()).toList(), "committed once");
        assertUsable(s, oid);
    }

    @Test
    void aPlainTransactionWhoseConnectionIsLostBeforeFinishIsReportedNotCommitted() throws SQLException {
        PostgresStorage s = open(schema("fault_plain"), false);
        long oid = s.newOid();
        long t1 = commit(s, oid, Storage.NO_TID, "first");
        Killer killer = new Killer("none");
        s.hooks = killer;
        StorageTransaction txn = write(s, oid, t1, "second");
        txn.vote();
        server.terminate(killer.pid); // the server rolls the open transaction back
        CommitNotDoneException e = assertThrows(CommitNotDoneException.class, txn::finish);
        assertTrue(e.getMessage().contains("did not commit"), e.getMessage());
        txn.abort();
        s.hooks = CommitHooks.NONE;
        assertEquals("first", new String(s.load(oid).data()));
        assertEquals(t1, s.lastTid());
        assertUsable(s, oid);
    }

    @ParameterizedTest(name = "prepared transactions: {0}")
    @ValueSource(booleans = {true, false})
    void aConnectionLostInFinishIsSettledBeforeFinishReturns(boolean prepared) throws SQLException {
        PostgresStorage s = open(schema("fault_finish"), prepared);
        long oid = s.newOid();
        long t1 = commit(s, oid, Storage.NO_TID, "first");

        s.hooks = new Killer("before commit");
        StorageTransaction lostBeforeCommit = write(s, oid, t1, "second");
        lostBeforeCommit.vote();
        long expected;
        if (prepared) {
            expected = lostBeforeCommit.finish(); // still prepared on the server: finish commits it
            assertEquals("second", new String(s.load(oid).data()));
        } else {
            assertInstanceOf(CommitNotDoneException.class, assertThrows(StorageException.class,
                    lostBeforeCommit::finish));
            expected = t1;
            assertEquals("first", new String(s.load(oid).data()));
        }
        assertEquals(expected, s.lastTid());

        s.hooks = new Killer("after commit");
        StorageTransaction lostAfterCommit = write(s, oid, expected, "third");
        lostAfterCommit.vote();
        long t3 = lostAfterCommit.finish(); // committed: the lost notification changes nothing
        s.hooks = CommitHooks.NONE;
        assertEquals("third", new String(s.load(oid).data()));
        assertEquals(t3, s.load(oid).tid());
        assertEquals(prepared ? 3 : 2, s.history(oid, 10).size(), "each commit once, the failed one not at all");
        assertUsable(s, oid);
    }

    @Test
    void aPreparedTransactionOfADeadProcessIsRolledBackByTheNextOpen() throws SQLException {
        String schema = schema("fault_dead");
        PostgresStorage dying = open(schema, true);
        long oid = dying.newOid();
        long t1 = commit(dying, oid, Storage.NO_TID, "first");
        Killer killer = new Killer("none");
        dying.hooks = killer;
        StorageTransaction txn = write(dying, oid, t1, "never finished");
        txn.vote();
        assertEquals(1, preparedCount(schema));
        // the process dies: its connections end, its listener's owner lock with them
        ownerLockHolders(dying);
        dying.close();
        assertEquals(List.of(), ownerLockHolders(dying, 0));
        server.terminate(killer.pid);

        PostgresStorage next = open(schema, true);
        assertEquals(0, preparedCount(schema), "rolled back at open");
        assertEquals("first", new String(next.load(oid).data()));
        assertEquals(t1, next.lastTid());
        assertUsable(next, oid);
        assertThrows(CommitNotDoneException.class, txn::finish, "the dead process's finish would be told the truth");
    }

    @Test
    void aVoteWaitingBehindAnAbandonedPreparedTransactionRollsItBack() throws SQLException {
        String schema = schema("fault_wait");
        PostgresStorage dying = open(schema, true);
        // one pooled connection: the voter holds it while it waits, so recovery must not need the pool
        PostgresStorage other = PostgresStorage.open(server.url(schema), PostgresOptions.defaults().withPoolSize(1));
        opened.add(other);
        long oid = other.newOid();
        long t1 = commit(other, oid, Storage.NO_TID, "first");
        Killer killer = new Killer("none");
        dying.hooks = killer;
        StorageTransaction abandoned = write(dying, oid, t1, "abandoned");
        abandoned.vote();
        dying.close(); // its listener stops: the owner lock is free
        assertEquals(List.of(), ownerLockHolders(dying, 0));
        server.terminate(killer.pid);

        long t2 = commit(other, oid, t1, "second"); // waits for the lock, finds it abandoned, rolls it back
        assertEquals("second", new String(other.load(oid).data()));
        assertEquals(List.of(t2, t1), other.history(oid, 10).stream().map(r -> r.tid()).toList());
        assertEquals(0, preparedCount(schema));
    }

    /** The server process holding {@code s}'s owner lock (its listener's). */
    private static List<Integer> ownerLockHolders(PostgresStorage s) throws SQLException {
        return ownerLockHolders(s, 1);
    }

    private static List<Integer> ownerLockHolders(PostgresStorage s, int expected) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = server.admin(); PreparedStatement st = c.prepareStatement("SELECT pid FROM pg_locks"
                + " WHERE locktype = 'advisory' AND objsubid = 2 AND classid::bigint = ? AND objid::bigint = ?")) {
            st.setLong(1, s.keys.ownerClass() & 0xffffffffL);
            st.setLong(2, s.owner & 0xffffffffL);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        }
        assertEquals(expected, pids.size(), "processes holding the owner lock: " + pids);
        return pids;
    }
}
