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
import org.junit.jupiter.api.Test;

/**
 * The plans the server keeps for jodb's hot statements stay index probes, whatever it knows of their parameters.
 * The JDBC driver prepares a statement on the server after a few executions, and the server then may switch to a
 * generic plan, made without the parameters' values: a poll planned so read every revision in the table (a cost
 * that grew with the history); the vote function's conflict query, left to choose, was planned afresh at each call.
 */
class PlansTest extends PgSchemas {

    @Test
    void aPollsGenericPlanProbesTheRevisionsOfEachTransactionInsteadOfScanningThemAll() throws SQLException {
        String schema = schema("plans");
        try (PostgresStorage storage = PostgresStorage.open(server.url(schema))) {
            // enough transactions and revisions that reading them all costs more than probing
            for (int i = 0; i < 1_000; i++) {
                StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
                for (int j = 0; j < 20; j++) {
                    txn.store(storage.newOid(), Storage.NO_TID, new byte[] {(byte) i, (byte) j});
                }
                txn.voteAndFinish();
            }
        }
        String plan = genericPlan(schema, new Sql(schema).transactionsAfter);
        assertFalse(plan.contains("Seq Scan on object_state"), "a poll scans every revision:\n" + plan);
        assertFalse(plan.contains("Seq Scan on transactions"), "a poll scans every transaction:\n" + plan);
        assertTrue(plan.contains("object_state_by_tid"), "a poll probes the index by tid:\n" + plan);
    }

    @Test
    void theVoteFunctionKeepsOnePlanPerStatement() throws SQLException {
        String schema = schema("plans");
        PostgresStorage.open(server.url(schema)).close();
        try (Connection c = server.admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT p.proconfig FROM pg_proc p JOIN pg_namespace n ON n.oid ="
                     + " p.pronamespace WHERE n.nspname = '" + schema + "' AND p.proname = 'vote'")) {
            assertTrue(rs.next(), "the schema has a vote function");
            assertEquals("{plan_cache_mode=force_generic_plan,jit=off}", rs.getString(1));
        }
    }

    @Test
    void theStoragesOwnConnectionsCompileNoQuery() {
        try (PostgresStorage storage = PostgresStorage.open(server.url(schema("plans")))) {
            String jit = storage.run("show jit", c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW jit")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertEquals("off", jit);
        }
    }

    /** The plan the server makes for {@code sql} (two bigint parameters) without knowing the parameters. */
    private static String genericPlan(String schema, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = server.admin(); Statement s = c.createStatement()) {
            s.execute("ANALYZE " + SchemaName.quoted(schema) + ".object_state");
            s.execute("ANALYZE " + SchemaName.quoted(schema) + ".transactions");
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE poll(bigint, bigint) AS " + sql.replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2"));
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE poll(0, " + Long.MAX_VALUE + ")")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            s.execute("DEALLOCATE poll");
        }
        return plan.toString();
    }
}
