package org.jodb.postgres;

import java.util.ArrayList;
import java.util.List;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract on PostgreSQL: each test in a schema of its own; reopen opens the same schema again. */
class PostgresStorageContractTest extends StorageContractTest {
    private static final List<String> SCHEMAS = new ArrayList<>();
    private static PgServer server;

    /** A transaction's records are rows keyed by (oid, tid): listed by oid, not in the order they were stored. */
    @Override
    protected boolean keepsRecordOrder() {
        return false;
    }

    @BeforeAll
    static void server() {
        server = PgServer.get();
    }

    @AfterAll
    static void dropSchemas() {
        if (server != null) {
            server.drop(SCHEMAS);
        }
    }

    @Override
    protected Storage newStorage() {
        String schema = PgServer.freshSchema("contract");
        SCHEMAS.add(schema);
        return PostgresStorage.open(server.url(schema));
    }

    @Override
    protected boolean reopenable() {
        return true;
    }

    @Override
    protected Storage reopen(Storage storage) {
        storage.close();
        PostgresStorage old = (PostgresStorage) storage;
        return PostgresStorage.open(server.url(old.schema));
    }
}
