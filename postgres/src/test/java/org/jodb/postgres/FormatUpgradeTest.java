package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;

/**
 * Tables of format 2, whose vote function notified a commit's tid alone, are brought to format 3 at open: the
 * function is replaced by one whose notification also names the tid before the commit and the oids it wrote.
 */
class FormatUpgradeTest extends PgSchemas {

    @Test
    void tablesOfFormat2GetTheVoteFunctionThatNotifiesTheOidsAtOpen() throws SQLException {
        String schema = schema("format2");
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
            st.execute("DROP FUNCTION " + q + ".vote");
            st.execute("UPDATE " + q + ".storage_info SET format_version = 2");
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
                     + " 'vote' AND p.prosrc LIKE '%array_to_string(p_oids%') FROM " + q + ".storage_info")) {
            rs.next();
            assertEquals(Sql.FORMAT_VERSION, rs.getInt(1));
            assertEquals(3, Sql.FORMAT_VERSION);
            assertEquals(1, rs.getInt(2), "the vote function names the oids in its notification");
        }
    }
}
