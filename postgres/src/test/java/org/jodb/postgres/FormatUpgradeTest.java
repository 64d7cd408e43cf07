package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tables of format 2, whose vote function notified a commit's tid alone, of format 3, whose function's
 * notification carried no records and which the server planned afresh at every call, and of format 4, which had
 * no table of removed objects and whose function took no references, are brought to format 5 at open: the table
 * is created, and the function is replaced by one whose notification names the tid before the commit and the oids
 * it wrote (with the records of a small commit), which keeps one plan per statement and checks the references it
 * is given against the removed objects.
 */
class FormatUpgradeTest extends PgSchemas {

    @ParameterizedTest(name = "format {0}")
    @ValueSource(ints = {2, 3, 4})
    void anOlderVoteFunctionIsReplacedAtOpen(int format) throws SQLException {
        String schema = schema("format" + format);
        long oid;
        long t1;
        try (PostgresStorage before = PostgresStorage.open(server.url(schema))) {
            oid = before.newOid();
            StorageTransaction txn = before.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            txn.store(oid, Storage.NO_TID, new byte[] {1});
            t1 = txn.voteAndFinish().tid();
        }
        String q = SchemaName.quoted(schema);
        try (Connection c = server.admin(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + q + ".removed_objects"); // new in format 5
            if (format == 2) {
                st.execute("DROP FUNCTION " + q + ".vote");
            } else if (format == 3) {
                st.execute("ALTER FUNCTION " + q + ".vote RESET ALL"); // format 3's function had no setting
            } else {
                // format 4's function had the signature without p_refs: the upgrade drops it rather than leave an
                // overload beside the new one, and gives the new one its grants
                st.execute("DROP FUNCTION " + q + ".vote");
                st.execute("CREATE FUNCTION " + q + ".vote(bigint, text, bigint[], bigint[], bytea[], bigint, bigint,"
                        + " bigint[], bigint[], bigint, bigint, bigint, text, text, bigint, text, boolean) RETURNS void"
                        + " LANGUAGE sql AS ''");
                st.execute("CREATE ROLE " + schema + "_app");
                st.execute("CREATE ROLE " + schema + "_reader");
                st.execute("REVOKE EXECUTE ON FUNCTION " + q + ".vote FROM PUBLIC");
                st.execute("GRANT EXECUTE ON FUNCTION " + q + ".vote TO " + schema + "_app");
                st.execute("GRANT SELECT, INSERT, DELETE ON " + q + ".object_state TO " + schema + "_app");
                st.execute("GRANT SELECT ON " + q + ".object_state TO " + schema + "_reader");
            }
            st.execute("UPDATE " + q + ".storage_info SET format_version = " + format);
        }
        try (PostgresStorage after = PostgresStorage.open(server.url(schema))) {
            assertEquals(t1, after.load(oid).tid());
            StorageTransaction txn = after.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            txn.store(oid, t1, new byte[] {2});
            long t2 = txn.voteAndFinish().tid();
            assertTrue(t2 > t1);
            assertEquals(t2, after.load(oid).tid());
        }
        try (Connection c = server.admin(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT format_version, (SELECT count(*) FROM pg_proc p JOIN"
                     + " pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '" + schema + "' AND p.proname ="
                     + " 'vote' AND p.prosrc LIKE '%array_to_string(p_oids%' AND p.prosrc LIKE '%encode(u.data%'"
                     + " AND p.prosrc LIKE '%removed_objects%' AND 'jit=off' ="
                     + " ANY (p.proconfig)), (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid ="
                     + " p.pronamespace WHERE n.nspname = '" + schema + "' AND p.proname = 'vote'),"
                     + " to_regclass('" + q + ".removed_objects') IS NOT NULL FROM " + q + ".storage_info")) {
            rs.next();
            assertEquals(Sql.FORMAT_VERSION, rs.getInt(1));
            assertEquals(5, Sql.FORMAT_VERSION);
            assertEquals(1, rs.getInt(2), "the vote function names the oids in its notification, keeps its plans"
                    + " and checks references");
            assertEquals(1, rs.getInt(3), "no older vote function is left beside it");
            assertTrue(rs.getBoolean(4), "the table of removed objects exists");
        }
        if (format == 4) {
            try (Connection c = server.admin(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT has_table_privilege('" + schema + "_app', '" + q
                         + ".removed_objects', 'SELECT'), has_table_privilege('" + schema + "_app', '" + q
                         + ".removed_objects', 'INSERT'), has_table_privilege('" + schema + "_reader', '" + q
                         + ".removed_objects', 'SELECT'), has_table_privilege('" + schema + "_reader', '" + q
                         + ".removed_objects', 'INSERT'), has_function_privilege('" + schema + "_app', to_regprocedure('"
                         + q + ".vote(" + VoteFunction.ARGUMENTS + ")'), 'EXECUTE'), has_function_privilege('"
                         + schema + "_reader', to_regprocedure('" + q + ".vote(" + VoteFunction.ARGUMENTS
                         + ")'), 'EXECUTE')")) {
                rs.next();
                assertTrue(rs.getBoolean(1), "a role that reads objects reads the removed ones");
                assertTrue(rs.getBoolean(2), "a role that deletes objects (packs) adds removed ones");
                assertTrue(rs.getBoolean(3));
                assertFalse(rs.getBoolean(4), "a role that only reads does not add");
                assertTrue(rs.getBoolean(5), "the old function's EXECUTE grant passed to the new one");
                assertFalse(rs.getBoolean(6), "and so did its REVOKE from PUBLIC");
            } finally {
                try (Connection c = server.admin(); Statement st = c.createStatement()) {
                    st.execute("DROP OWNED BY " + schema + "_app, " + schema + "_reader");
                    st.execute("DROP ROLE " + schema + "_app");
                    st.execute("DROP ROLE " + schema + "_reader");
                }
            }
        }
    }
}
