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

    static String get() {
        String url = System.getenv("JODB_PG_URL");
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
