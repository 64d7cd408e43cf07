package org.jodb.cli;

import java.nio.file.Path;

/** Counts a store's records with the command's own walk. */
final class LogScanTestAccess {
    private LogScanTestAccess() {
    }

    static long records(Path dir) {
        try (LogScan scan = LogScan.of(StoreDir.of(dir.toString()), false, Progress.NONE)) {
            return scan.records;
        }
    }
}
