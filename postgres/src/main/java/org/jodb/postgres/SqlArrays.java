package org.jodb.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/** Array parameters from primitive arrays ({@code long[]}, {@code byte[][]}), without boxing each element. */
final class SqlArrays {
    private SqlArrays() {
    }

    static Array of(Connection c, String type, Object elements) throws SQLException {
        return c.unwrap(PGConnection.class).createArrayOf(type, elements);
    }
}
