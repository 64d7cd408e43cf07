package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
        long deadline = System.nanoTime() + storage.options.settleTimeout().toNanos();
        SQLException last = cause;
        while (true) {
            Connection c = null;
            try {
                // outside the pool: voters waiting for the commit lock this transaction may still hold could
                // have taken every pooled connection
                c = storage.connections.dedicated();
                if (gid != null && PreparedTransactions.exists(c, gid)) {
                    try {
                        PreparedTransactions.commit(c, gid);
                        return true;
                    } catch (SQLException e) {
                        if (Failures.connectionLost(e)) {
                            throw e;
                        }
                        last = e; // another session is finishing it right now: look again
                    }
                } else {
                    waitForCommitLock(storage, c);
                    return committed(storage, c, tid, commitId);
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
                throw new StorageException("the outcome of transaction " + tid + " in storage " + storage.name()
                        + " is unknown: the connection failed as it committed, and the server could not be asked"
                        + " within " + storage.options.settleTimeout() + " (" + last.getMessage() + "). The"
                        + " storage closed itself: reopen it once the server is back (a prepared transaction left"
                        + " behind is then rolled back) and look for tid " + tid + " in its transaction log.", last);
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while learning whether transaction " + tid + " of storage "
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
