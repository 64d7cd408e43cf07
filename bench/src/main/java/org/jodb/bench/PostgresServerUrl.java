package org.jodb.bench;

import java.nio.file.Path;

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

    /** A schema name for the run in {@code dir}: the same directory, the same schema. */
    static String schemaOf(Path dir) {
        return "bench_" + Integer.toHexString(dir.toAbsolutePath().normalize().toString().hashCode());
    }
}
