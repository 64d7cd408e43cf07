package org.jodb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.jodb.storage.internal.index.IndexMeta;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.LogPosition;

/**
 * The part of {@code verify} that compares the oid index with the log (storage/FORMAT.md section 5). The
 * index is derived: jodb rebuilds it at open whenever it is missing, stale or damaged, and nothing is lost.
 * A cleanly closed store's index must still agree with its log, entry by entry; where it does not, verify
 * reports it, with the remedy of opening the store once. After a crash (index.meta not "clean") the index is
 * not checked: the next open rebuilds it anyway.
 *
 * <p>Chronicle Map writes into a file it opens (its segment locks), so the index file is copied into a
 * temporary directory and the copy is opened: the store is not touched.
 */
final class IndexCheck {
    private static final int MAX_ENTRY_PROBLEMS = 20;
    private static final String REBUILD = " The index is derived from the log: open the store once (Database.open,"
            + " then close) and jodb rebuilds it; nothing is lost.";

    private IndexCheck() {
    }

    static void run(StoreDir store, LogScan scan, List<String> problems, List<String> notes) {
        IndexMeta meta = IndexMeta.read(store.path);
        Path metaFile = store.path.resolve(IndexMeta.FILE_NAME);
        if (meta == null) {
            problems.add(metaFile + " is missing or damaged, so the index cannot be trusted." + REBUILD);
            return;
        }
        if (scan.damagedTransactions) {
            notes.add("the oid index is not compared with a log that has damaged transactions: restore the store"
                    + " from a backup first.");
            return;
        }
        if (!meta.clean()) {
            notes.add(metaFile + " says the store was not closed cleanly (a crash, or an open that never closed):"
                    + " the index is not checked; the next open rebuilds it from the log.");
            return;
        }
        if (meta.lastTid() != scan.lastTid || meta.lastTxn() != scan.lastTxn || !sameEnd(meta.logEnd(), scan)) {
            problems.add(metaFile + " says the log ends at " + LogPosition.describe(meta.logEnd()) + " after tid "
                    + Ids.tid(meta.lastTid()) + ", but it ends at " + LogPosition.describe(scan.logEnd) + " after tid "
                    + Ids.tid(scan.lastTid) + "." + REBUILD);
            return;
        }
        Path file = OidIndex.file(store.path, meta.generation());
        if (!Files.isRegularFile(file)) {
            problems.add("the oid index " + file + " is missing." + REBUILD);
            return;
        }
        Path copyDir = null;
        try {
            copyDir = Files.createTempDirectory("jodb-verify-index");
            Files.copy(file, OidIndex.file(copyDir, meta.generation()));
            compare(store, scan, meta, copyDir, problems);
        } catch (IOException e) {
            problems.add("cannot copy the oid index " + file + " to check it: " + e.getMessage()
                    + ". Free space in the temporary directory (java.io.tmpdir), then verify again.");
        } catch (RuntimeException e) {
            problems.add(file + " cannot be read as the oid index: " + e.getMessage() + "." + REBUILD);
        } finally {
            deleteQuietly(copyDir);
        }
    }

    /** The end index.meta names: the last record's end, or offset 64 of a segment after it. */
    private static boolean sameEnd(long metaEnd, LogScan scan) {
        return metaEnd == scan.logEnd || (LogPosition.segment(metaEnd) > LogPosition.segment(scan.logEnd)
                && LogPosition.offset(metaEnd) == org.jodb.storage.internal.log.LogLayout.SEGMENT_HEADER_SIZE);
    }

    private static void compare(StoreDir store, LogScan scan, IndexMeta meta, Path copyDir, List<String> problems) {
        Path file = OidIndex.file(store.path, meta.generation());
        List<String> found = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        try (OidIndex index = OidIndex.open(copyDir, meta.generation(), meta.capacity(), meta.fingerprint(),
                org.jodb.storage.StorageOptions.defaults().indexPagesInMemory())) {
            index.unseal(meta.logEnd(), meta.lastTid());
            index.forEach((oid, position, tid) -> {
                seen.add(oid);
                LogScan.Rev current = scan.current(oid);
                if (current == null) {
                    found.add("oid " + oid + " is in the index (at " + LogPosition.describe(position) + ", tid "
                            + Ids.tid(tid) + ") but in no transaction of the log");
                } else if (current.position() != position || current.tid() != tid) {
                    found.add("oid " + oid + ": the index names " + LogPosition.describe(position) + ", tid "
                            + Ids.tid(tid) + ", but its newest revision is at " + scan.where(current.position())
                            + ", tid " + Ids.tid(current.tid()));
                }
            });
            // counted from the pages: the index's own count comes from its seal, written with index.meta's
            if (seen.size() != meta.count()) {
                found.add("the index holds " + seen.size() + " oids, " + IndexMeta.FILE_NAME + " says " + meta.count());
            }
        }
        for (Long oid : scan.revisions.keySet()) {
            if (!seen.contains(oid)) {
                found.add("oid " + oid + " is in the log (newest revision at "
                        + scan.where(scan.current(oid).position()) + ") but not in the index");
            }
        }
        for (int i = 0; i < found.size() && i < MAX_ENTRY_PROBLEMS; i++) {
            problems.add(file + ": " + found.get(i) + "." + REBUILD);
        }
        if (found.size() > MAX_ENTRY_PROBLEMS) {
            problems.add(file + ": and " + (found.size() - MAX_ENTRY_PROBLEMS) + " more entries disagree with the"
                    + " log." + REBUILD);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary copy does no harm
        }
    }
}
