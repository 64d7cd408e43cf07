package org.jodb.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * Array parameters from primitive arrays ({@code long[]}, {@code byte[][]}), without boxing each element, and
 * {@code bigint[]} columns back to {@code long[]}.
 */
final class SqlArrays {
    private SqlArrays() {
    }

    static Array of(Connection c, String type, Object elements) throws SQLException {
        return c.unwrap(PGConnection.class).createArrayOf(type, elements);
    }

    /** A {@code bigint[]} column's values. */
    static long[] longs(Array column) throws SQLException {
        Long[] boxed = (Long[]) column.getArray();
        long[] plain = new long[boxed.length];
        for (int i = 0; i < plain.length; i++) {
            plain[i] = boxed[i];
        }
        return plain;
    }
}
