package org.jodb.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Connections from an application's {@code DataSource} (its pool): taken for one job, closed to give back. */
final class DataSourceConnections implements Connections {
    private final DataSource source;

    DataSourceConnections(DataSource source) {
        this.source = source;
    }

    @Override
    public Connection take() throws SQLException {
        Connection c = source.getConnection();
        if (!c.getAutoCommit()) {
            c.rollback();
            c.setAutoCommit(true);
        }
        return c;
    }

    @Override
    public void give(Connection connection, boolean broken) {
        DriverPool.quietlyClose(connection);
    }

    @Override
    public Connection dedicated() throws SQLException {
        return take();
    }

    @Override
    public void close() {
        // the application's pool is the application's to close
    }
}
