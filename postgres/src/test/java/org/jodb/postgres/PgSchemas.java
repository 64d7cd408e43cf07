package org.jodb.postgres;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class on the shared server whose schemas are dropped after it. */
abstract class PgSchemas {
    private static final List<String> SCHEMAS = new ArrayList<>();
    static PgServer server;

    @BeforeAll
    static void server() {
        server = PgServer.get();
    }

    @AfterAll
    static void dropSchemas() {
        if (server != null) {
            synchronized (SCHEMAS) {
                server.drop(SCHEMAS);
                SCHEMAS.clear();
            }
        }
    }

    /** A new schema name, dropped after the class. */
    static String schema(String prefix) {
        String schema = PgServer.freshSchema(prefix);
        synchronized (SCHEMAS) {
            SCHEMAS.add(schema);
        }
        return schema;
    }
}
