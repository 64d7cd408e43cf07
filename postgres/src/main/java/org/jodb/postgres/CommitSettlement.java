package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.jodb.spi.StorageException;

/**
 * Finds out, on fresh connections, whether a commit whose connection failed in finish committed, so that
 * finish tells the application the truth. A transaction prepared and still held by the server is committed
 * now (finish was called: the decision was to commit). Otherwise jodb waits for the commit lock, which the
 * failed transaction held until it ended either way, and then looks for the transaction's row with its
 * commit id: there, it committed; absent, it did not. The server may be unreachable for a while: jodb tries
 * again until the storage's settle timeout, then closes the storage and says the outcome is unknown.
 */
final class CommitSettlement {
    private static final long PAUSE_MILLIS = 200;

    private CommitSettlement() {
    }

    /**
     * @return whether transaction {@code tid} (commit id {@code commitId}, prepared as {@code gid} or null)
     *         committed
     * @throws StorageException when the outcome could not be learnt before the settle timeout
     */
    static boolean settle(PostgresStorage storage, long tid, long commitId, String gid, SQLException cause) {
        return until(storage, "transaction " + tid, "look for tid " + tid + " in its transaction log", cause, c -> {
            if (gid != null && PreparedTransactions.exists(c, gid)) {
                try {
                    PreparedTransactions.commit(c, gid);
                    return true;
                } catch (SQLException e) {
                    if (Failures.connectionLost(e)) {
                        throw e;
                    }
                    return null; // another session is finishing it right now: look again
                }
            }
            waitForCommitLock(storage, c);
            return committed(storage, c, tid, commitId);
        });
    }

    /**
     * Settles a group commit whose connection failed before its answer came back (its tids unknown): waits for the
     * commit lock, then finds which of {@code commitIds} the transactions after {@code afterTid} (a tid committed
     * before the group was sent) carry. The group was one database transaction: either every member that wrote is
     * found, or none.
     *
     * @return each commit id found, with its tid (empty: the group did not commit)
     * @throws StorageException when the outcome could not be learnt before the settle timeout
     */
    static Map<Long, Long> settleGroup(PostgresStorage storage, long afterTid, long[] commitIds, SQLException cause) {
        return until(storage, "a group of " + commitIds.length + " transactions", "look for the transactions after"
                + " tid " + afterTid + " in its transaction log", cause, c -> {
            waitForCommitLock(storage, c);
            Map<Long, Long> found = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(storage.sql.committedAfter)) {
                s.setLong(1, afterTid);
                s.setArray(2, SqlArrays.of(c, "bigint", commitIds));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getLong(1), rs.getLong(2));
                    }
                }
            }
            return found;
        });
    }

    private interface Question<T> {
        /** The answer, or null to ask again after a pause. */
        T ask(Connection c) throws SQLException;
    }

    /** Asks {@code question} on fresh connections until it answers or the settle timeout passes. */
    private static <T> T until(PostgresStorage storage, String what, String remedy, SQLException cause,
                               Question<T> question) {
        long deadline = System.nanoTime() + storage.options.settleTimeout().toNanos();
        SQLException last = cause;
        while (true) {
            Connection c = null;
            try {
                // outside the pool: voters waiting for the commit lock this transaction may still hold could
                // have taken every pooled connection
                c = storage.connections.dedicated();
                T answer = question.ask(c);
                if (answer != null) {
                    return answer;
                }
            } catch (SQLException e) {
                last = e;
            } finally {
                if (c != null) {
                    DriverPool.quietlyClose(c);
                }
            }
            if (System.nanoTime() > deadline) {
                storage.closeAfterFailure();
                throw new StorageException("the outcome of " + what + " in storage " + storage.name()
                        + " is unknown: the connection failed as it committed, and the server could not be asked"
                        + " within " + storage.options.settleTimeout() + " (" + last.getMessage() + "). The"
                        + " storage closed itself: reopen it once the server is back (a prepared transaction left"
                        + " behind is then rolled back) and " + remedy + ".", last);
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while learning whether " + what + " of storage "
                        + storage.name() + " committed; its outcome is unknown", e);
            }
        }
    }

    /** Takes and at once releases the commit lock: returns when no transaction that held it is still running. */
    private static void waitForCommitLock(PostgresStorage storage, Connection c) throws SQLException {
        c.setAutoCommit(false);
        try {
            storage.commitLock(c);
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static boolean committed(PostgresStorage storage, Connection c, long tid, long commitId)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(storage.sql.committedWith)) {
            s.setLong(1, tid);
            s.setLong(2, commitId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }
}
