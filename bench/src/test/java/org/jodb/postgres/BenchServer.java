package org.jodb.postgres;

/**
 * The PostgreSQL server of the postgres module's tests ({@link PgServer}), for the bench's own tests: the
 * administrator's URL, under which the bench makes a schema per run. Skips the calling test (or, with
 * {@code CI=true}, fails it) when there is no server, as the postgres tests do.
 */
public final class BenchServer {
    private BenchServer() {
    }

    /** A URL of a role that may create schemas, with its password in it. */
    public static String url() {
        return PgServer.get().adminUrl();
    }
}
