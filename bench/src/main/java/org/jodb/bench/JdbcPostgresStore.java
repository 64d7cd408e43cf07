package org.jodb.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Plain JDBC on the same PostgreSQL server, the yardstick of {@code jodb-postgres}: one table of accounts; a
 * transfer is one database transaction that locks its rows ({@code SELECT ... FOR UPDATE}, in key order, so
 * that writers never deadlock) and updates them. Each writer thread has its own connection.
 */
final class JdbcPostgresStore implements Store {
    private final String url;
    private String table;
    private Connection conn;

    JdbcPostgresStore(String url) {
        this.url = url;
    }

    @Override
    public String name() {
        return "jdbc-postgres";
    }

    @Override
    public String product() {
        return "PostgreSQL through JDBC (no object layer)";
    }

    @Override
    public String cannot(Workload workload, Durability mode) {
        return mode == Durability.SYNC ? null
                : "the server's synchronous_commit decides when a commit is durable: run with --modes sync";
    }

    @Override
    public boolean sharedByProcesses() {
        return true;
    }

    @Override
    public String describe(Durability mode) {
        return "one transaction per transfer: SELECT ... FOR UPDATE of its rows, then UPDATE; COMMIT";
    }

    @Override
    public void open(Path dir, Durability mode) {
        String schema = PostgresServerUrl.schemaOf(dir, "_jdbc");
        table = "\"" + schema + "\".accounts";
        try {
            conn = DriverManager.getConnection(url);
            try (Statement s = conn.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
                s.execute("CREATE TABLE IF NOT EXISTS " + table
                        + " (key text PRIMARY KEY, owner text NOT NULL, balance bigint NOT NULL)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the jdbc-postgres store: " + e.getMessage(), e);
        }
    }

    @Override
    public void insert(int from, int count) {
        try (PreparedStatement s = conn.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
            conn.setAutoCommit(false);
            for (int i = from; i < from + count; i++) {
                s.setString(1, Keys.key(i));
                s.setString(2, "owner-" + i);
                s.setLong(3, Keys.INITIAL_BALANCE);
                s.addBatch();
            }
            s.executeBatch();
            conn.commit();
            conn.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Locks the rows of {@code keys} in key order, then moves 1 along each pair. */
    private void transfer(Connection c, int[] keys) throws SQLException {
        String[] sorted = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            sorted[i] = Keys.key(keys[i]);
        }
        Arrays.sort(sorted);
        try (PreparedStatement lock = c.prepareStatement("SELECT balance FROM " + table
                + " WHERE key = ANY(?) ORDER BY key FOR UPDATE")) {
            lock.setArray(1, c.createArrayOf("text", sorted));
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(1);
                }
            }
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE " + table
                + " SET balance = balance + ? WHERE key = ?")) {
            for (int k = 0; k + 1 < keys.length; k += 2) {
                update.setLong(1, -1);
                update.setString(2, Keys.key(keys[k]));
                update.addBatch();
                update.setLong(1, 1);
                update.setString(2, Keys.key(keys[k + 1]));
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    @Override
    public Writer writer() {
        Connection c;
        try {
            c = DriverManager.getConnection(url);
            c.setAutoCommit(false);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Writer() {
            @Override
            public int transfer(int[] keys) {
                try {
                    JdbcPostgresStore.this.transfer(c, keys);
                    c.commit();
                    return 1;
                } catch (SQLException e) {
                    try {
                        c.rollback();
                    } catch (SQLException ignored) {
                        // the failure below says what happened
                    }
                    throw new IllegalStateException("a transfer failed: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // nothing to keep
                }
            }
        };
    }

    @Override
    public void savepointScenario(int[] first, int[] second) {
        try {
            conn.setAutoCommit(false);
            transfer(conn, first);
            Savepoint savepoint = conn.setSavepoint();
            transfer(conn, second);
            conn.rollback(savepoint);
            conn.commit();
            conn.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long[] readAll() {
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(balance), 0) FROM " + table)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // nothing to keep
            }
            conn = null;
        }
    }
}
