package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes staged records no vote will read: those of a transaction that aborted or failed (at once, or at this
 * storage's next recovery when the server could not be reached), and those of storages that are gone (their
 * owner lock is free: the process died, or lost its listening connection, while it built a transaction). A
 * vote counts its staged records, so a transaction whose records were removed under it fails instead of
 * committing a part of them.
 */
final class StagingCleanup {
    private static final String LOCK_WAIT = "2s";
    private StagingCleanup() {
    }

    /** Removes stage {@code stage} of this storage now, or at its next recovery. Never fails. */
    static void drop(PostgresStorage storage, long stage) {
        try {
            storage.run("drop staged records", c -> dropStage(storage, c, stage));
        } catch (RuntimeException e) {
            storage.stagesToDrop.add(stage);
        }
    }

    private static Void dropStage(PostgresStorage storage, Connection c, long stage) throws SQLException {
        delete(c, storage.sql.dropStage, stage);
        return null;
    }

    /**
     * Deletes in a database transaction of its own that waits at most {@link #LOCK_WAIT} for a row: a prepared
     * transaction that voted these rows away holds them until it is rolled back (by recovery, which runs first).
     */
    private static void delete(Connection c, String statement, long key) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement wait = c.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
                wait.setString(1, LOCK_WAIT);
                wait.execute();
            }
            try (PreparedStatement s = c.prepareStatement(statement)) {
                s.setLong(1, key);
                s.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** This storage's stages left to drop, and the stages of storages that are gone. */
    static void run(PostgresStorage storage, Connection c) throws SQLException {
        for (Long stage : List.copyOf(storage.stagesToDrop)) {
            dropStage(storage, c, stage);
            storage.stagesToDrop.remove(stage);
        }
        List<Integer> owners = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(storage.sql.stagingOwners); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                owners.add(rs.getInt(1));
            }
        }
        for (int owner : owners) {
            if (owner != storage.owner && PreparedRecovery.tryLock(c, storage, owner, "pg_try_advisory_lock")) {
                try {
                    delete(c, storage.sql.dropOwnerStages, owner);
                } finally {
                    PreparedRecovery.tryLock(c, storage, owner, "pg_advisory_unlock");
                }
            }
        }
    }
}
