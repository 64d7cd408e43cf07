package org.jodb.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a storage gets its JDBC connections: its own small pool ({@link DriverPool}) or an application's
 * {@code DataSource} ({@link DataSourceConnections}). A JDBC connection serves one thread at a time; a caller
 * takes one for one job and gives it back. Connections are handed out in autocommit mode and must come back
 * in it, with no transaction open.
 */
interface Connections extends AutoCloseable {

    /** A connection in autocommit mode, for this caller alone until {@link #give}. */
    Connection take() throws SQLException;

    /** Returns {@code connection}; {@code broken} when it failed at the connection level (it is closed). */
    void give(Connection connection, boolean broken);

    /**
     * Returns {@code connection} after a job that may have left a transaction open (a failed vote): unless it is
     * {@code broken}, what is open is rolled back and autocommit restored first; a connection that fails at that
     * is given back as broken.
     */
    default void giveRolledBack(Connection connection, boolean broken) {
        boolean lost = broken;
        try {
            if (!lost && !connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            lost = true;
        }
        give(connection, lost);
    }

    /**
     * A connection outside the pool, for a caller that keeps it (the notification listener) or that must not
     * wait for the pool (recovery and settlement, which voters holding pooled connections may wait for).
     */
    Connection dedicated() throws SQLException;

    /** Closes what the pool holds; connections given back later are closed. */
    @Override
    void close();
}
