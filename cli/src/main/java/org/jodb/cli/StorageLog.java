package org.jodb.cli;

import java.util.ArrayList;
import java.util.List;

import org.jodb.spi.Storage;
import org.jodb.spi.TransactionInfo;

/** The whole transaction log of a storage opened by URL, read a page at a time through the SPI. */
final class StorageLog {
    /** Transactions asked of a storage per call. */
    static final int PAGE = 200;

    private StorageLog() {
    }

    /** Every transaction the storage holds, newest first. */
    static List<TransactionInfo> all(Storage storage) {
        List<TransactionInfo> all = new ArrayList<>();
        long before = Long.MAX_VALUE;
        while (true) {
            List<TransactionInfo> page = storage.transactionLog(before, PAGE);
            all.addAll(page);
            if (page.size() < PAGE) {
                return all;
            }
            before = page.get(page.size() - 1).tid();
        }
    }
}
