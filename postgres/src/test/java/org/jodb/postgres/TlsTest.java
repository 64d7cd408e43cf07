package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * The TLS settings of a URL reach the driver: on the tests' server, which has a self-signed certificate,
 * {@code sslmode=require} and {@code sslmode=verify-full} with the certificate as {@code sslrootcert} give
 * connections that use TLS, and a database on them works.
 */
class TlsTest extends PgSchemas {

    private static String tlsUrl(String schema, String tls) {
        return "jdbc:postgresql://127.0.0.1:" + server.port + "/postgres?user=postgres&password=" + server.password
                + "&" + tls + "&jodbSchema=" + schema;
    }

    private static Path certificate() {
        Path crt = server.certificate();
        assumeTrue(crt != null, "TLS tests skipped: the tests' server has no certificate (started elsewhere, or no"
                + " openssl to make one)");
        return crt;
    }

    private static boolean usesTls(PostgresStorage storage) {
        return storage.run("check TLS", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
                 ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }

    @Test
    void sslmodeRequireConnectsWithTls() {
        certificate();
        String url = tlsUrl(schema("tls_require"), "sslmode=require");
        try (PostgresStorage storage = PostgresStorage.open(url)) {
            assertTrue(usesTls(storage), "sslmode=require reached the driver");
            try (Database db = Database.open(storage)) {
                TransactionManager tm = new TransactionManager(false);
                Connection c = db.open(tm);
                c.root().put("k", "over TLS");
                tm.commit();
                c.close();
            }
        }
    }

    @Test
    void verifyFullChecksTheCertificateGiven() {
        Path crt = certificate();
        String url = tlsUrl(schema("tls_verify"), "sslmode=verify-full&sslrootcert=" + crt);
        try (PostgresStorage storage = PostgresStorage.open(url)) {
            assertTrue(usesTls(storage));
            assertEquals(0L, storage.lastTid());
        }
    }
}
