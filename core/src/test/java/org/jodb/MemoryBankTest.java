package org.jodb;

import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;

/** The many-threads contract on the reference storage. */
class MemoryBankTest extends BankContractTest {

    @Override
    protected Storage newStorage() {
        return new MemoryStorage();
    }
}
