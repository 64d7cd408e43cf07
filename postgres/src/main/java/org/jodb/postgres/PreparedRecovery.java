package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * Settles the prepared transactions a storage left behind: one whose storage is gone (its owner lock is free:
 * the process died, or lost its connection, between vote and finish) is rolled back, since no finish was
 * called on it, or the finish that was called settles it itself. One whose owner is alive is left alone,
 * unless it is this storage's own and its rollback failed. Runs at open and whenever a vote waits long for
 * the commit lock (which such a transaction holds).
 */
final class PreparedRecovery {
    private PreparedRecovery() {
    }

    static void run(PostgresStorage storage, Connection c, Set<String> ownPendingRollbacks) throws SQLException {
        for (String gid : PreparedTransactions.of(c, storage.schema)) {
            int owner = PreparedTransactions.owner(gid);
            if (owner == storage.owner) {
                if (ownPendingRollbacks.contains(gid)) {
                    rollback(c, gid);
                    ownPendingRollbacks.remove(gid);
                }
                continue;
            }
            if (tryLock(c, storage, owner, "pg_try_advisory_lock")) {
                try {
                    rollback(c, gid);
                } finally {
                    tryLock(c, storage, owner, "pg_advisory_unlock");
                }
            }
        }
        ownPendingRollbacks.removeIf(gid -> !exists(c, gid));
    }

    private static boolean exists(Connection c, String gid) {
        try {
            return PreparedTransactions.exists(c, gid);
        } catch (SQLException e) {
            return true;
        }
    }

    private static void rollback(Connection c, String gid) throws SQLException {
        try {
            PreparedTransactions.rollback(c, gid);
        } catch (SQLException e) {
            if (!"42704".equals(e.getSQLState())) { // already settled by someone else: nothing to do
                throw e;
            }
        }
    }

    static boolean tryLock(Connection c, PostgresStorage storage, int owner, String function)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + function + "(?, ?)")) {
            s.setInt(1, storage.keys.ownerClass());
            s.setInt(2, owner);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
