package org.jodb.postgres;

import org.jodb.BankContractTest;
import org.jodb.spi.Storage;
import org.junit.jupiter.api.BeforeAll;

/** The many-threads bank on PostgreSQL. */
class PostgresBankTest extends BankContractTest {
    private static PgServer server;

    @BeforeAll
    static void server() {
        server = PgServer.get();
    }

    @Override
    protected Storage newStorage() {
        return PostgresStorage.open(server.url(PgServer.freshSchema("bank")));
    }
}
