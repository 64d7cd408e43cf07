package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.spi.StorageException;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/** URLs and names jodb cannot use get errors that name the problem and the remedy, never the password. */
class BadInputTest extends PgSchemas {

    @Test
    void aSchemaNameThatIsNoPlainIdentifierIsRefusedBeforeConnecting() {
        for (String bad : new String[] {"bad-name", "1st", "x\";drop table y;--", "", "a".repeat(59)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PostgresStorage.open("jdbc:postgresql://127.0.0.1:1/db?user=u&jodbSchema=" + bad));
            assertTrue(e.getMessage().contains("not a usable schema name"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> PostgresOptions.defaults().withSchema(bad));
        }
    }

    @Test
    void aUrlThatIsNotPostgresIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresStorage.open("jdbc:mysql://host/db?password=hunter2"));
        assertTrue(e.getMessage().contains("jdbc:postgresql://host:port/database"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() {
        String secret = "wrong-secret-" + System.nanoTime();
        String url = server.adminUrl().replaceAll("password=[^&]*", "password=" + secret);
        if (url.equals(server.adminUrl()) || !url.contains(secret)) {
            url = server.adminUrl() + "&password=" + secret;
        }
        String given = url;
        StorageException e = assertThrows(StorageException.class, () -> PostgresStorage.open(given));
        assertFalse(messages(e).contains(secret), "the password appears in: " + messages(e));
        assertTrue(e.getMessage().contains("password=***"), e.getMessage());
        assertTrue(e.getMessage().contains("could not open"), e.getMessage());
    }

    @Test
    void aServerThatIsDownIsAClearError() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/db?user=app&password=s3cret-pw&connectTimeout=5";
        StorageException e = assertThrows(StorageException.class, () -> Database.open(url));
        assertTrue(e.getMessage().contains("check that the server runs and is reachable"), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertFalse(messages(e).contains("s3cret-pw"), messages(e));
    }

    @Test
    void databaseOpenFindsThePostgresProviderByUrl() {
        String schema = schema("by_url");
        try (Database db = Database.open(server.url(schema))) {
            assertTrue(db.storage() instanceof PostgresStorage, db.storage().getClass().getName());
            assertTrue(db.storage().name().contains("schema " + schema), db.storage().name());
            assertFalse(db.storage().name().contains(server.password == null ? "\u0000" : server.password),
                    "the storage's name shows no password: " + db.storage().name());
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            tm.begin();
            c.root().put("k", "v");
            tm.commit();
            c.close();
        }
        try (Database again = Database.open(server.url(schema))) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = again.open(tm);
            assertEquals("v", c.root().get("k"), "the schema is the URL's");
            tm.abort();
            c.close();
        }
    }

    @Test
    void redactionHidesEveryFormOfPassword() {
        assertEquals("jdbc:postgresql://h/db?user=u&password=***&ssl=true",
                PgUrl.redact("jdbc:postgresql://h/db?user=u&password=abc&ssl=true"));
        assertEquals("jdbc:postgresql://h/db?PASSWORD=***", PgUrl.redact("jdbc:postgresql://h/db?PASSWORD=abc"));
        assertEquals("jdbc:postgresql://u:***@h/db", PgUrl.redact("jdbc:postgresql://u:abc@h/db"));
        PgUrl parsed = PgUrl.parse("jdbc:postgresql://h/db?sslmode=verify-full&jodbSchema=app&sslrootcert=/c.pem",
                "jodb");
        assertEquals("jdbc:postgresql://h/db?sslmode=verify-full&sslrootcert=/c.pem", parsed.driverUrl(),
                "TLS parameters pass to the driver untouched");
        assertEquals("app", parsed.schema());
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
