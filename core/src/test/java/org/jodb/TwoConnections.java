package org.jodb;

import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;

/**
 * A fixture for tests of what two connections see of each other's commits: one database on a
 * {@link MemoryStorage}, and two connections, each with its own explicit-mode transaction manager.
 */
abstract class TwoConnections {
    final MemoryStorage storage = new MemoryStorage();
    final Database db = Database.open(storage);
    final TransactionManager tm1 = new TransactionManager(false);
    final TransactionManager tm2 = new TransactionManager(false);
    final Connection c1 = db.open(tm1);
    final Connection c2 = db.open(tm2);

    @AfterEach
    void closeDatabase() {
        tm1.abort();
        tm2.abort();
        db.close();
    }
}
