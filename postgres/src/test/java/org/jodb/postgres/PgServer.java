package org.jodb.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of the tests, one per JVM: the one {@code JODB_PG_URL} names (a superuser's or a
 * database owner's URL), or one started here from Debian's binaries ({@code /usr/lib/postgresql/<version>/bin})
 * in {@code target/} (as root, in a directory of the postgres user's under the system's temp directory), on a
 * free loopback port, with prepared transactions allowed and a password for TCP
 * logins, stopped when the JVM ends. Without either, the tests are skipped, saying how to enable them; with
 * {@code CI=true} they fail instead.
 */
final class PgServer {
    static final String ENABLE = "PostgreSQL tests skipped: no server. Set JODB_PG_URL=jdbc:postgresql://host:port/db"
            + "?user=...&password=... or install Debian's postgresql package (apt-get install -y postgresql).";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static PgServer shared;
    private static String unavailable;

    private final String adminUrl;
    /** The started server's data directory and binaries; null for a server JODB_PG_URL names. */
    private final Path data;
    private final Path bin;
    final int port;
    final String password;

    private PgServer(String adminUrl, Path data, Path bin, int port, String password) {
        this.adminUrl = adminUrl;
        this.data = data;
        this.bin = bin;
        this.port = port;
        this.password = password;
    }

    /** The server, started on first use; skips (or, with CI=true, fails) the calling test when there is none. */
    static synchronized PgServer get() {
        if (shared == null && unavailable == null) {
            try {
                shared = start();
            } catch (Exception e) {
                unavailable = e.getMessage();
            }
        }
        if (shared == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true and no PostgreSQL server for the tests: " + unavailable);
            }
            if (!reported) {
                reported = true;
                System.err.println(ENABLE + " (" + unavailable + ")");
            }
            Assumptions.abort(ENABLE);
        }
        return shared;
    }

    private static boolean reported;

    private static PgServer start() throws Exception {
        String given = System.getenv("JODB_PG_URL");
        if (given != null && !given.isBlank()) {
            return new PgServer(given, null, null, -1, null);
        }
        Path bin;
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString)).orElseThrow(() -> new IOException(
                            "no initdb under /usr/lib/postgresql/*/bin"));
        } catch (IOException e) {
            throw new IOException("no PostgreSQL binaries under /usr/lib/postgresql", e);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        // As root the server runs as the postgres user, who may not be allowed into the checkout (a clone under
        // a private directory): its files then go to a directory of its own under the system's temp directory.
        Path data = root ? Files.createTempDirectory("jodb-pg-" + ProcessHandle.current().pid() + "-")
                : Files.createDirectories(
                        Path.of("target").toAbsolutePath().resolve("pg-" + ProcessHandle.current().pid()));
        String password = "pw-" + UUID.randomUUID();
        Path pwfile = data.resolve("pwfile");
        Files.writeString(pwfile, password + "\n");
        Path cluster = data.resolve("cluster");
        if (root) {
            UserPrincipal postgres = data.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            Files.setOwner(data, postgres);
            Files.setOwner(pwfile, postgres);
        }
        run(root, bin.resolve("initdb").toString(), "-D", cluster.toString(), "-U", "postgres", "-E", "UTF8",
                "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "--no-sync");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // the tests connect without TLS, as before; TlsTest asks for it with sslmode=require
        PgServer server = new PgServer("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&password="
                + password + "&sslmode=disable", data, bin, port, password);
        server.startServer(root);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stopServer();
                try (Stream<Path> files = Files.walk(data)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            } catch (Exception ignored) {
                // the JVM is ending: what is left stays in the data directory
            }
        }));
        return server;
    }

    void startServer(boolean root) throws IOException, InterruptedException {
        run(root, bin.resolve("pg_ctl").toString(), "-D", data.resolve("cluster").toString(), "-l",
                data.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-c port=" + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + data
                        + " -c max_prepared_transactions=50 -c max_connections=300 -c fsync=off"
                        + " -c synchronous_commit=off -c full_page_writes=off" + tlsSettings(root), "start");
    }

    /**
     * The server's self-signed certificate for 127.0.0.1 (made with openssl at the first start), or null when
     * this server has none (openssl missing, or a server JODB_PG_URL names).
     */
    Path certificate() {
        Path crt = data == null ? null : data.resolve("server.crt");
        return crt != null && Files.exists(crt) ? crt : null;
    }

    /** TLS on, with a certificate made here, when openssl can make one; nothing otherwise. */
    private String tlsSettings(boolean root) throws InterruptedException {
        Path crt = data.resolve("server.crt");
        Path key = data.resolve("server.key");
        if (!Files.exists(crt)) {
            try {
                run(root, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
                        "-out", crt.toString());
                run(root, "chmod", "600", key.toString()); // the server refuses a key others may read
            } catch (IOException e) {
                return ""; // no openssl: TlsTest says so and skips
            }
        }
        return " -c ssl=on -c ssl_cert_file=" + crt + " -c ssl_key_file=" + key;
    }

    /** Stops the server this class started (fast: open connections are cut). */
    void stopServer() throws IOException, InterruptedException {
        if (data != null) {
            run(isRoot(), bin.resolve("pg_ctl").toString(), "-D", data.resolve("cluster").toString(), "-m", "fast",
                    "-w", "stop");
        }
    }

    /** Starts again the server {@link #stopServer} stopped. */
    void restartServer() throws IOException, InterruptedException {
        startServer(isRoot());
    }

    boolean startedHere() {
        return data != null;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(boolean asPostgres, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        // started in "/": the postgres user may not be allowed into this JVM's working directory
        Process p = new ProcessBuilder(full).directory(new java.io.File("/")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** The administrator's URL (a superuser for the server started here). */
    String adminUrl() {
        return adminUrl;
    }

    /** A URL for jodb in schema {@code schema}. */
    String url(String schema) {
        return adminUrl + (adminUrl.contains("?") ? "&" : "?") + "jodbSchema=" + schema;
    }

    /** A schema name no test used before in this JVM (and no earlier run, thanks to the random part). */
    static String freshSchema(String prefix) {
        return (prefix + "_" + SCHEMAS.incrementAndGet() + "_" + Integer.toHexString((int) System.nanoTime()))
                .toLowerCase();
    }

    Connection admin() throws SQLException {
        return DriverManager.getConnection(adminUrl);
    }

    /** Drops {@code schemas} with everything in them. */
    void drop(List<String> schemas) {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                // a prepared transaction a failed test left would hold the schema's tables
                for (String gid : PreparedTransactions.of(c, schema)) {
                    PreparedTransactions.rollback(c, gid);
                }
                s.execute("DROP SCHEMA IF EXISTS " + SchemaName.quoted(schema) + " CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop the test schemas " + schemas + ": " + e.getMessage(), e);
        }
    }

    /** Ends every server process of the connections whose process id is {@code pid}. */
    void terminate(int pid) throws SQLException {
        try (Connection c = admin(); var s = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            s.setInt(1, pid);
            s.execute();
        }
    }
}
