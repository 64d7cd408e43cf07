package org.jodb.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL server of the postgres module's tests ({@link PgServer}), for the jodb command's tests: URLs of
 * fresh schemas, dropped by {@link #dropSchemas()}. Skips the calling test (or, with {@code CI=true}, fails it)
 * when there is no server, as the postgres tests do.
 */
public final class CliServer {
    private static final List<String> SCHEMAS = new ArrayList<>();

    private CliServer() {
    }

    /** A URL of a schema no test used, with the server's password in it. */
    public static synchronized String url(String prefix) {
        PgServer server = PgServer.get();
        String schema = PgServer.freshSchema(prefix);
        SCHEMAS.add(schema);
        return server.url(schema);
    }

    /** Whether the server was started by the tests, with password logins (a JODB_PG_URL server may trust all). */
    public static boolean checksPasswords() {
        return PgServer.get().startedHere();
    }

    /** Drops the schemas {@link #url} handed out. */
    public static synchronized void dropSchemas() {
        if (!SCHEMAS.isEmpty()) {
            PgServer.get().drop(SCHEMAS);
            SCHEMAS.clear();
        }
    }
}
