package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.jodb.Account;
import org.jodb.Database;
import org.jodb.spi.StorageException;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * jodb under a role with only the privileges README.md lists ("Privileges"): the tables created by their owner,
 * the application's role granted what it needs, and nothing more; every operation works, pack included. The
 * same role cannot create a new schema's tables, and says so.
 */
class LeastPrivilegeTest extends PgSchemas {
    private final String role = "jodb_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String password = "pw-" + UUID.randomUUID();

    @BeforeEach
    void createRole() {
        try (Connection c = server.admin(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        } catch (SQLException e) {
            Assumptions.abort("the administrator of JODB_PG_URL may not create roles: " + e.getMessage());
        }
    }

    @AfterEach
    void dropRole() throws SQLException {
        dropSchemas();
        try (Connection c = server.admin(); Statement s = c.createStatement()) {
            s.execute("DROP OWNED BY " + role);
            s.execute("DROP ROLE " + role);
        }
    }

    private String urlAs(String schema) {
        String url = server.url(schema);
        return url.replaceFirst("user=[^&]*", "user=" + role).replaceFirst("password=[^&]*", "password=" + password);
    }

    /** The grants of README.md's "Privileges", for {@code schema}'s tables and {@code role}. */
    static void grant(Connection c, String schema, String role) throws SQLException {
        String q = SchemaName.quoted(schema);
        try (Statement s = c.createStatement()) {
            s.execute("GRANT USAGE ON SCHEMA " + q + " TO " + role);
            s.execute("GRANT SELECT, INSERT, DELETE ON " + q + ".transactions, " + q + ".object_state TO " + role);
            s.execute("GRANT SELECT, UPDATE ON " + q + ".storage_info TO " + role);
            s.execute("GRANT USAGE, UPDATE, SELECT ON SEQUENCE " + q + ".oid_sequence TO " + role);
            s.execute("GRANT SELECT, INSERT, DELETE ON " + q + ".object_staging TO " + role);
            s.execute("GRANT SELECT, INSERT ON " + q + ".removed_objects TO " + role);
            s.execute("GRANT EXECUTE ON FUNCTION " + q + ".vote TO " + role);
        }
    }

    @Test
    void jodbRunsUnderTheListedPrivilegesOnly() throws SQLException {
        Assumptions.assumeTrue(server.adminUrl().contains("password="), "the role logs in with a password");
        String schema = schema("least");
        PostgresStorage.open(server.url(schema)).close(); // the owner creates the tables
        try (Connection c = server.admin()) {
            grant(c, schema, role);
        }
        try (Database db = Database.open(urlAs(schema))) {
            // every commit of more than two records goes through the staging table, whose grants are checked too
            ((PostgresStorage) db.storage()).heldRecordsBound = 2;
            TransactionManager tm = new TransactionManager(false);
            org.jodb.Connection conn = db.open(tm);
            tm.begin();
            conn.root().put("acct", conn.create(Account.class, "acct", 10L));
            conn.root().put("gone", conn.create(Account.class, "gone", 0L));
            tm.commit();
            tm.begin();
            ((Account) conn.root().get("acct")).deposit(5);
            conn.root().remove("gone");
            tm.commit();
            conn.close();
            db.pack();
            TransactionManager check = new TransactionManager(false);
            org.jodb.Connection again = db.open(check);
            check.begin();
            assertEquals(15L, ((Account) again.root().get("acct")).balance());
            check.commit();
            again.close();
            assertTrue(((PostgresStorage) db.storage()).prepares, "prepared transactions work under the role");
        }
    }

    @Test
    void theRoleCannotCreateANewSchemaAndSaysWhoMust() {
        String schema = schema("least_new");
        StorageException e = assertThrows(StorageException.class, () -> PostgresStorage.open(urlAs(schema)));
        assertTrue(e.getMessage().contains("may not create them"), e.getMessage());
        assertTrue(e.getMessage().contains(role), e.getMessage());
        assertTrue(!e.getMessage().contains(password), e.getMessage());
    }
}
