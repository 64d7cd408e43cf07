package org.jodb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.jodb.spi.Storage;
import org.jodb.spi.TransactionInfo;

/**
 * Reads {@link Database#undoLog}: the storage's transactions newest first ({@link Storage#transactionLog}), in
 * pages, as {@link TransactionDescription}s, down to the last pack the storage knows of (what it ran before
 * cannot be undone), keeping those the filter accepts.
 */
final class UndoLog {
    /** Transactions asked of the storage at a time when a filter may skip many. */
    private static final int PAGE = 256;

    private UndoLog() {
    }

    static List<TransactionDescription> read(Storage storage, int max, Predicate<? super TransactionDescription> filter) {
        if (max < 0) {
            throw new IllegalArgumentException("max < 0: " + max + "; ask for 0 or more transactions");
        }
        long oldest = storage.oldestSnapshot();
        List<TransactionDescription> found = new ArrayList<>();
        long before = Long.MAX_VALUE;
        while (found.size() < max) {
            List<TransactionInfo> page = storage.transactionLog(before, Math.max(PAGE, max - found.size()));
            for (TransactionInfo t : page) {
                if (t.tid() <= oldest) {
                    return found; // its earlier states are gone: neither it nor any older one can be undone
                }
                TransactionDescription d = new TransactionDescription(t.tid(), Instant.ofEpochMilli(t.timeMillis()),
                        t.user(), t.note(), Arrays.stream(t.oids()).boxed().toList());
                if (filter.test(d) && found.size() < max) {
                    found.add(d);
                }
            }
            if (page.isEmpty()) {
                break;
            }
            before = page.get(page.size() - 1).tid();
        }
        return found;
    }
}
