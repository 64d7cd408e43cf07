package org.jodb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Where the PostgreSQL stores run: the server {@code JODB_PG_URL} names, one schema per run directory. */
final class PostgresServerUrl {
    private PostgresServerUrl() {
    }

    /** The environment variable that names the server. */
    static final String VARIABLE = "JODB_PG_URL";
    /** The system property that names it when the environment does not (the bench's own tests). */
    static final String PROPERTY = "jodb.pg.url";

    static String get() {
        String url = System.getenv(VARIABLE);
        if (url == null || url.isBlank()) {
            url = System.getProperty(PROPERTY);
        }
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the PostgreSQL stores need a server: set JODB_PG_URL to"
                    + " jdbc:postgresql://host:port/database?user=...&password=... (a role that may create schemas)");
        }
        return url;
    }

    /**
     * The schema of the run in {@code dir} (the same directory, the same schema), emptied when the directory
     * is (the bench opens each store on an empty directory, then reopens it for the cold read).
     */
    static String schemaOf(Path dir, String suffix) {
        String schema = "bench_" + Integer.toHexString(dir.toAbsolutePath().normalize().toString().hashCode())
                + suffix;
        Path marker = dir.resolve("postgres-schema");
        try {
            if (!Files.exists(marker)) {
                try (Connection c = DriverManager.getConnection(get()); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
                }
                Files.createDirectories(dir);
                Files.writeString(marker, schema + "\n");
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot prepare schema " + schema + ": " + e.getMessage(), e);
        }
        return schema;
    }
}
