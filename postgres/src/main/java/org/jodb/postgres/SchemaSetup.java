package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jodb.spi.StorageException;
import org.jodb.spi.UnsupportedFormatException;

/**
 * At open: creates the schema's tables and its vote function ({@link VoteFunction}) when they are missing
 * (under a lock, so that two processes opening a new database at once do not race), brings tables of the
 * first format up to date (they lack the staging table and the function) and those of the second, third and
 * fourth (their vote function notifies the tid alone, or is planned afresh at each call, or names no references;
 * the table of removed objects is missing), and checks the format. A role
 * without the right to create them gets an error that says who must create them.
 */
final class SchemaSetup {
    private SchemaSetup() {
    }

    static void ensure(Connection c, Sql sql, LockKeys keys, String schemaName, String name) throws SQLException {
        if (!exists(c, sql)) {
            underCreationLock(c, keys, schemaName, name, () -> !exists(c, sql), sql.createSchema());
        }
        int version = formatVersion(c, sql);
        if (version == 1) {
            // the tables of the first format lack only what the commit's single round trip needs
            underCreationLock(c, keys, schemaName, name, () -> formatVersion(c, sql) == 1, sql.upgradeFromFormat1());
            version = formatVersion(c, sql);
        }
        if (version == 2 || version == 3 || version == 4) {
            int old = version;
            underCreationLock(c, keys, schemaName, name, () -> formatVersion(c, sql) == old, sql.upgradeVoteFunction());
            version = formatVersion(c, sql);
        }
        if (version != Sql.FORMAT_VERSION) {
            throw new UnsupportedFormatException("storage " + name + ": schema " + schemaName
                    + " holds jodb tables of format " + version + "; this jodb reads format "
                    + Sql.FORMAT_VERSION + ". Open it with the jodb version that wrote it.");
        }
    }

    private interface Check {
        boolean holds() throws SQLException;
    }

    /** Runs {@code ddl} in one database transaction under the creation lock, if {@code still} holds under it. */
    private static void underCreationLock(Connection c, LockKeys keys, String schemaName, String name, Check still,
                                          String[] ddl) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, keys.create());
                lock.execute();
            }
            if (still.holds()) {
                try (Statement s = c.createStatement()) {
                    for (String statement : ddl) {
                        s.execute(statement);
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            if ("42501".equals(e.getSQLState())) {
                throw new StorageException("storage " + name + ": schema " + schemaName + " has no jodb tables of"
                        + " format " + Sql.FORMAT_VERSION + " and the role " + c.getMetaData().getUserName()
                        + " may not create them (" + e.getMessage() + "). Open it once as a role that may (see the"
                        + " module's README, \"Privileges\"), or name an existing jodb schema.", e);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static int formatVersion(Connection c, Sql sql) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT format_version FROM " + sql.schema + ".storage_info")) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }

    private static boolean exists(Connection c, Sql sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, sql.schema + ".storage_info");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Whether the server allows PREPARE TRANSACTION ({@code max_prepared_transactions} above 0). */
    static boolean serverPrepares(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('max_prepared_transactions')::int")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
