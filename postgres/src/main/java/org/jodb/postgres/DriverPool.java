package org.jodb.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;

/**
 * The storage's own pool for a storage opened by URL: at most {@code size} connections out at once, idle
 * ones kept for reuse, broken ones dropped. Enough for jodb's short jobs (a load, a vote to finish); an
 * application that wants more brings its own {@code DataSource}.
 */
final class DriverPool implements Connections {
    /** The URL without its passwords, which go to the driver as properties (see {@link PgUrl#openUrl}). */
    private final String url;
    private final Properties secretProperties;
    /** The URL's passwords, kept out of the driver's exceptions ({@link Scrub}). */
    private final List<String> secrets;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /**
     * Run once on each new connection: no JIT compilation. jodb's statements are index probes that take tens of
     * microseconds, but the planner's guess of a poll's cost (from the statistics of a table that once held
     * large transactions) can pass {@code jit_above_cost}, and compiling then takes 20-250 ms per execution,
     * measured in the bench's workload 8. A statement rather than the {@code options} startup parameter, which
     * connection poolers such as PgBouncer refuse unless told to ignore it.
     */
    static final String SESSION_SETTINGS = "SET jit = off";

    DriverPool(PgUrl url, int size) {
        this.url = url.openUrl();
        this.secretProperties = url.secretProperties();

        this.secrets = url.secrets();
        this.permits = new Semaphore(size, true);
    }

    @Override
    public Connection take() throws SQLException {
        permits.acquireUninterruptibly();
        try {
            Connection c;
            while ((c = idle.pollFirst()) != null) {
                if (!c.isClosed()) { // the driver closes a connection the server ended; no round trip
                    return c;
                }
            }
            return dedicated();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    @Override
    public void give(Connection connection, boolean broken) {
        try {
            if (broken || closed) {
                quietlyClose(connection);
            } else {
                idle.addFirst(connection);
                if (closed) {
                    closeIdle();
                }
            }
        } finally {
            permits.release();
        }
    }

    @Override
    public Connection dedicated() throws SQLException {
        Connection c;
        try {
            c = DriverManager.getConnection(url, secretProperties);
        } catch (SQLException e) {
            throw Scrub.of(e, secrets);
        }
        try (Statement s = c.createStatement()) {
            s.execute(SESSION_SETTINGS);
        } catch (SQLException e) {
            quietlyClose(c);
            throw Scrub.of(e, secrets);
        }
        c.setAutoCommit(true);
        return c;
    }

    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            quietlyClose(c);
        }
    }

    static void quietlyClose(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // a connection that cannot even close is gone anyway
        }
    }
}
