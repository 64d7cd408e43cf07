package org.jodb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import org.jodb.spi.CopyReport;
import org.jodb.spi.CopyProgress;
import org.jodb.spi.StorageCopy;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.internal.log.Segment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jodb copy SOURCE TARGET}: copies every transaction of a store, with its tid, time, user, note and
 * records, into a new or empty directory, or continues an earlier copy, through {@link StorageCopy}; then
 * prints what the copy's verification compared. Either side may be a directory or a storage URL
 * ({@code jdbc:postgresql://...}), in every direction. Refuses a source or target directory another process has
 * open, a target that holds other files, and a target that is not an earlier copy of the source.
 */
@Command(name = "copy", description = {
        "Copies a store, every transaction with its metadata, and verifies the copy.",
        "TARGET is a new or empty directory, or an earlier copy of SOURCE, which is brought up to date. Then every",
        "transaction of TARGET is compared with SOURCE's. Exit status 1 when they differ. Needs both stores to",
        "itself: a store another process has open is refused.",
        "Either side may be a jdbc:postgresql://host:port/db?user=... URL (the schema of its jodbSchema parameter):",
        "a directory into PostgreSQL, PostgreSQL into a directory, or one schema into another."})
final class CopyCommand extends StoreCommand implements Callable<Integer> {

    @Parameters(index = "1", paramLabel = "TARGET", description = "The copy's directory or URL: new, empty, or an"
            + " earlier copy of STORE.")
    String targetName;

    @Override
    public Integer call() {
        boolean sourceUrl = StoreUrl.isUrl(storeName);
        boolean targetUrl = StoreUrl.isUrl(targetName);
        StoreDir source = sourceUrl ? null : StoreDir.of(storeName);
        String sourceShown = sourceUrl ? StoreUrl.of(storeName).shown() : source.path.toString();
        String targetShown = targetUrl ? StoreUrl.of(targetName).shown() : Path.of(targetName).toString();
        if (sourceUrl && targetUrl && StoreUrl.of(storeName).url.equals(StoreUrl.of(targetName).url)) {
            throw new UserError("the target " + targetShown + " is the source itself. Name another database or"
                    + " schema (the URL's jodbSchema parameter), or a new or empty directory, for the copy.");
        }
        boolean earlierCopy = !targetUrl && checkTarget(source, sourceShown, Path.of(targetName));
        if (source != null && source.openElsewhere()) {
            throw new UserError(sourceHeld(source.path));
        }
        if (earlierCopy && StoreDir.unchecked(Path.of(targetName)).openElsewhere()) {
            throw new UserError(StoreDir.unchecked(Path.of(targetName)).heldMessage("copy"));
        }
        CopyBar bar = new CopyBar(progress());
        PhaseTotals totals = new PhaseTotals();
        CopyReport report;
        try (Storage from = sourceUrl ? StoreUrl.of(storeName).openStorage() : open(source.path,
                sourceHeld(source.path));
             Storage to = targetUrl ? StoreUrl.of(targetName).openStorage() : open(Path.of(targetName),
                     StoreDir.unchecked(Path.of(targetName)).heldMessage("copy"))) {
            report = StorageCopy.copy(from, to, p -> {
                totals.hear(p);
                bar.progress(p);
            });
        } catch (IllegalArgumentException notACopy) {
            throw new UserError(notACopy.getMessage().replace(" Copy into an empty storage.", "") + ". Copy into a"
                    + " new or empty " + (targetUrl ? "schema" : "directory") + " instead, or delete " + targetShown
                    + (targetUrl ? "'s tables" : "") + " first.");
        } finally {
            bar.done();
        }
        out().println("copied " + transactions(report.transactions()) + " (" + report.records() + " records, "
                + report.bytes() + " bytes) from " + sourceShown + " into " + targetShown + (report.afterTid() == Storage.NO_TID
                ? "" : ", after its tid " + Ids.tid(report.afterTid()) + " (an earlier copy)"));
        if (!report.matches()) {
            err().println("the copy differs from the source: " + report.firstDifference() + ". Run `jodb verify "
                    + sourceShown + "` and `jodb verify " + targetShown + "`; then copy into a new directory.");
            return Jodb.DAMAGED;
        }
        out().println("verified: " + transactions(totals.transactions) + " (" + totals.records + " records, "
                + totals.bytes + " bytes) of " + targetShown + " are the source's, with their tids, times, users and"
                + " notes; its last transaction is " + Ids.tid(report.lastTid()));
        return Jodb.OK;
    }

    private static String transactions(long n) {
        return n + (n == 1 ? " transaction" : " transactions");
    }

    /**
     * Refuses a target that is a file, the source itself, or a directory holding files but no store.
     *
     * @return whether the target is a store already (an earlier copy, to continue)
     */
    private static boolean checkTarget(StoreDir source, String sourceShown, Path target) {
        if (!Files.exists(target)) {
            return false;
        }
        if (!Files.isDirectory(target)) {
            throw new UserError(target + " is a file. Name a new or empty directory for the copy, or an earlier copy"
                    + " of " + sourceShown + " to bring up to date.");
        }
        try {
            if (source != null && Files.isSameFile(source.path, target)) {
                throw new UserError(target + " is the source store itself. Name a new or empty directory for the"
                        + " copy.");
            }
        } catch (IOException e) {
            throw new UserError("cannot compare " + sourceShown + " with " + target + ": " + e.getMessage()
                    + ". Check their permissions.");
        }
        List<String> others = new ArrayList<>();
        boolean store = false;
        try (Stream<Path> files = Files.list(target)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Segment.idOf(f) > 0) {
                    store = true;
                } else if (!f.getFileName().toString().equals(StoreDir.LOCK_FILE)) {
                    others.add(f.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot list " + target + ": " + e.getMessage() + ". Check its permissions.");
        }
        if (!store && !others.isEmpty()) {
            others.sort(null);
            throw new UserError(target + " is neither empty nor a jodb store: it holds " + String.join(", ",
                    others.subList(0, Math.min(5, others.size()))) + (others.size() > 5 ? ", ..." : "")
                    + ". Name a new or empty directory for the copy, or an earlier copy of " + sourceShown + ".");
        }
        return store;
    }

    /** The message for a source another process has open. */
    private static String sourceHeld(Path source) {
        return "another process has the store " + source + " open (its lock file " + StoreDir.LOCK_FILE + " is"
                + " locked); copy reads the source through the file store, which one process owns at a time. Close"
                + " the store in that process (stop the application), or copy from an earlier copy, then run copy"
                + " again.";
    }

    /** @param held the message when another process has {@code dir} open */
    private static MappedFileStorage open(Path dir, String held) {
        try {
            return MappedFileStorage.open(dir);
        } catch (StorageException e) {
            StoreDir store = StoreDir.unchecked(dir);
            if (Files.isDirectory(dir) && store.openElsewhere()) { // opened by another process since the check
                throw new UserError(held);
            }
            throw e;
        }
    }

    /** What the copy compared: an incremental copy checks the earlier transactions, then verifies the new ones. */
    private static final class PhaseTotals {
        long transactions;
        long records;
        long bytes;
        private CopyProgress check;
        private CopyProgress verify;

        void hear(CopyProgress p) {
            if (p.phase() == CopyProgress.Phase.CHECK) {
                check = p;
            } else if (p.phase() == CopyProgress.Phase.VERIFY) {
                verify = p;
            }
            transactions = count(check, CopyProgress::transactions) + count(verify, CopyProgress::transactions);
            records = count(check, CopyProgress::records) + count(verify, CopyProgress::records);
            bytes = count(check, CopyProgress::bytes) + count(verify, CopyProgress::bytes);
        }

        private static long count(CopyProgress p, ToLongFunction<CopyProgress> figure) {
            return p == null ? 0 : figure.applyAsLong(p);
        }
    }
}
