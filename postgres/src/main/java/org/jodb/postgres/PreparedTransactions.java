package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The global ids of jodb's prepared transactions and the statements on them. PREPARE, COMMIT PREPARED and
 * ROLLBACK PREPARED take the id as a literal, not a bind parameter: jodb writes it only from the checked
 * schema name and numbers, and checks it against {@link #SHAPE} before it goes into a statement.
 *
 * <p>An id reads {@code jodb|<schema>|<owner>|<commit id>}: the owner number names the storage that prepared
 * it (whose owner lock says whether it is still alive), the commit id the row it wrote in {@code transactions}.
 * The id is chosen before vote, so that PREPARE can ride in the vote's round trip: it cannot hold the tid,
 * which the vote function chooses. Ids of the first format ({@code jodb|<schema>|<owner>|<tid>|<commit id>})
 * are still recognised, so that a recovery settles those an older jodb left.
 */
final class PreparedTransactions {
    static final Pattern SHAPE = Pattern.compile("jodb\\|([A-Za-z0-9_]+)\\|(-?\\d+)\\|(?:\\d+\\|)?(-?\\d+)");

    private PreparedTransactions() {
    }

    static String gid(String schema, int owner, long commitId) {
        return checked("jodb|" + schema + "|" + owner + "|" + commitId);
    }

    static int owner(String gid) {
        Matcher m = SHAPE.matcher(gid);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jodb prepared transaction id: " + gid);
        }
        return Integer.parseInt(m.group(2));
    }

    private static String checked(String gid) {
        if (!SHAPE.matcher(gid).matches()) {
            throw new IllegalArgumentException("not a jodb prepared transaction id: " + gid);
        }
        return gid;
    }

    static void prepare(Connection c, String gid) throws SQLException {
        execute(c, prepareStatement(gid));
    }

    /** The PREPARE TRANSACTION statement for {@code gid}, to send alone or after another in one round trip. */
    static String prepareStatement(String gid) {
        return "PREPARE TRANSACTION '" + checked(gid) + "'";
    }

    static void commit(Connection c, String gid) throws SQLException {
        execute(c, "COMMIT PREPARED '" + checked(gid) + "'");
    }

    static void rollback(Connection c, String gid) throws SQLException {
        execute(c, "ROLLBACK PREPARED '" + checked(gid) + "'");
    }

    private static void execute(Connection c, String statement) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** Whether the server still holds prepared transaction {@code gid}. */
    static boolean exists(Connection c, String gid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM pg_prepared_xacts WHERE gid = ? AND database = current_database()")) {
            s.setString(1, gid);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    /** The ids of the prepared transactions of {@code schema} in this database. */
    static List<String> of(Connection c, String schema) throws SQLException {
        List<String> gids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT gid FROM pg_prepared_xacts"
                + " WHERE database = current_database() AND starts_with(gid, ?)")) {
            s.setString(1, "jodb|" + schema + "|");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (SHAPE.matcher(rs.getString(1)).matches()) {
                        gids.add(rs.getString(1));
                    }
                }
            }
        }
        return gids;
    }
}
