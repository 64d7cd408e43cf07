package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.jodb.Database;
import org.jodb.spi.Storage;
import org.junit.jupiter.api.Test;

/**
 * No password of a URL, in whatever form it is given, appears in any message of an open that fails: not in
 * the exception's message, not in its causes, not in its stack trace as printed.
 */
class SecretsTest extends PgSchemas {
    private static final List<String> SECRETS = List.of("Pw1-secret", "Ssl2-secret", "Info3-secret", "Info4@a/b");

    /** Everything a failure shows: its printed stack trace, with every cause and suppressed exception. */
    private static String everything(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append('\n').append(t.getMessage()).append('\n').append(t.toString());
        }
        return text.toString();
    }

    private static void assertHidesSecrets(String url) {
        for (Throwable failure : List.of(assertThrows(Exception.class, () -> PostgresStorage.open(url).close()),
                assertThrows(Exception.class, () -> Database.open(url).close()))) {
            String shown = everything(failure);
            for (String secret : SECRETS) {
                assertFalse(shown.contains(secret), "'" + secret + "' appears in the failure of an open:\n" + shown);
            }
        }
    }

    /** The server's host, port and database, without any parameter. */
    private static String serverBase() {
        String admin = server.adminUrl();
        int query = admin.indexOf('?');
        return query < 0 ? admin : admin.substring(0, query);
    }

    @Test
    void aLoginTheServerRefusesShowsNoPassword() {
        assertHidesSecrets(serverBase() + "?user=jodb_no_such_role&password=Pw1-secret&sslpassword=Ssl2-secret");
    }

    @Test
    void aServerThatIsNotThereShowsNoPassword() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        assertHidesSecrets("jdbc:postgresql://127.0.0.1:" + closedPort + "/db?user=u&password=Pw1-secret"
                + "&sslpassword=Ssl2-secret&connectTimeout=5");
    }

    @Test
    void aPasswordInTheUserInfoIsHiddenWhole() {
        assertHidesSecrets("jdbc:postgresql://app:Info3-secret@127.0.0.1:1/db?sslpassword=Ssl2-secret");
        assertHidesSecrets("jdbc:postgresql://app:Info4@a/b@127.0.0.1:1/db");
        assertHidesSecrets("jdbc:postgresql://127.0.0.1:notaport/db?password=Pw1-secret"); // the driver quotes it
    }

    @Test
    void aUserInfoPasswordLogsInAndIsShownNowhere() {
        assumeTrue(server.startedHere(), "the server JODB_PG_URL names may not check passwords");
        String url = "jdbc:postgresql://postgres:" + server.password + "@127.0.0.1:" + server.port + "/postgres"
                + "?jodbSchema=" + schema("userinfo");
        PgUrl parsed = PgUrl.parse(url, "jodb");
        assertEquals(List.of(server.password), parsed.secrets());
        try (PostgresStorage storage = PostgresStorage.open(url)) {
            assertEquals(Storage.NO_TID, storage.lastTid());
            assertFalse(storage.name().contains(server.password), storage.name());
        }
    }

    @Test
    void theDriverIsGivenThePasswordsAsPropertiesNotInTheUrl() {
        PgUrl parsed = PgUrl.parse("jdbc:postgresql://app:Info%40x@h/db?sslmode=require&sslpassword=Ssl2-secret"
                + "&jodbSchema=s", "jodb");
        assertEquals("jdbc:postgresql://h/db?user=app&sslmode=require", parsed.openUrl());
        assertEquals("Info@x", parsed.secretProperties().getProperty("password"), "decoded, as the driver would");
        assertEquals("Ssl2-secret", parsed.secretProperties().getProperty("sslpassword"));
        assertEquals("jdbc:postgresql://h/db?user=app&password=Info%40x&sslmode=require&sslpassword=Ssl2-secret",
                parsed.driverUrl());
    }

    @Test
    void aUserOrPasswordGivenTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PgUrl.parse("jdbc:postgresql://app:Info3-secret@h/db?password=Pw1-secret", "jodb"));
        assertEquals("PostgreSQL URL jdbc:postgresql://app:***@h/db?password=*** names its password twice, in"
                + " user:password@ and as a parameter: keep one", e.getMessage());
    }

    @Test
    void oneRedactionForEveryMessage() {
        assertEquals("jdbc:postgresql://u:***@h:5432/db?user=u&password=***&sslpassword=***&sslmode=require",
                PgUrl.redact("jdbc:postgresql://u:Info4@a/b@h:5432/db?user=u&password=Pw1-secret"
                        + "&sslpassword=Ssl2-secret&sslmode=require"));
        assertEquals("jdbc:postgresql://h/db?PassWord=***;SSLPASSWORD=***",
                PgUrl.redact("jdbc:postgresql://h/db?PassWord=x;SSLPASSWORD=y"));
        assertEquals("jdbc:postgresql://h:5432/db?user=a@b.c", PgUrl.redact("jdbc:postgresql://h:5432/db?user=a@b.c"),
                "an @ in a parameter is no user-info");
    }
}
