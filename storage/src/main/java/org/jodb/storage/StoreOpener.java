package org.jodb.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.storage.internal.index.ChronicleFlags;
import org.jodb.storage.internal.index.IndexFingerprint;
import org.jodb.storage.internal.index.IndexMeta;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.LogIo;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.recovery.DurableProof;
import org.jodb.storage.internal.recovery.LogRecovery;
import org.jodb.storage.internal.recovery.PackCommit;

/**
 * Opens a store directory: refuses what is not a store, takes the store's lock, completes a pack that committed
 * before a crash, opens the segments, recovers the log (cutting a torn tail) and builds the index
 * ({@link IndexAtOpen}), forces the recovered end, and records the open state in the side file. What it
 * returns is ready for a {@link MappedFileStorage}; on a failure nothing stays locked or mapped.
 */
final class StoreOpener {

    /** An opened store: what a {@link MappedFileStorage} is made of. */
    record Opened(Path dir, StorageOptions options, StoreLock lock, Log log, OidIndex index,
                  LogRecovery.Result state, boolean fromIndex) {
    }

    private StoreOpener() {
    }

    /** See {@link MappedFileStorage#open(Path, StorageOptions)}; {@code io} does the log's file operations. */
    static Opened open(Path dir, StorageOptions options, LogIo io) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        ChronicleFlags.require();
        dir = dir.toAbsolutePath();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CorruptStorageException(dir + " is a file, not a jodb store (a store is a directory)."
                    + " Pass the store's directory, or a path that does not exist yet to create one.");
        }
        refuseForeignDirectory(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create the store directory " + dir + ": " + e.getMessage(), e);
        }
        StoreLock lock = StoreLock.acquire(dir);
        try {
            boolean packFinished = PackCommit.complete(dir);
            return openLocked(dir, options, lock, io, packFinished);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Refuses to create a store in a directory that holds files but no log segment: a wrong path (a home or
     * project directory) would otherwise become a store silently, and an existing store whose segments are
     * gone would be taken for a new one. A missing or empty directory, or one holding only jodb's own files,
     * is fine (FORMAT.md 1).
     */
    private static void refuseForeignDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<String> foreign = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Segment.idOf(p) >= 0) {
                    return; // a store: its segments are checked when they are opened
                }
                String name = p.getFileName().toString();
                boolean ours = name.equals(StoreLock.FILE_NAME) || name.startsWith(IndexMeta.FILE_NAME)
                        || name.equals(PackCommit.FILE_NAME) || OidIndex.isIndexFile(p) || name.startsWith("log-");
                if (!ours) {
                    foreign.add(Files.isDirectory(p) ? name + "/" : name);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list the store directory " + dir + ": " + e.getMessage(), e);
        }
        if (!foreign.isEmpty()) {
            Collections.sort(foreign);
            String shown = String.join(", ", foreign.subList(0, Math.min(10, foreign.size())))
                    + (foreign.size() > 10 ? ", ... (" + foreign.size() + " entries)" : "");
            throw new CorruptStorageException(dir + " is not a jodb store and not empty: it holds no log segment"
                    + " (log-*.seg) but " + shown + ". Pass the directory of an existing store, or an empty or"
                    + " missing directory to create one.");
        }
    }

    /** @param packFinished whether this open finished a pack, whose output, the whole log now, was forced */
    private static Opened openLocked(Path dir, StorageOptions options, StoreLock lock, LogIo io,
                                     boolean packFinished) {
        List<Segment> segments = LogRecovery.openSegments(dir);
        IndexMeta meta = IndexMeta.read(dir);
        IndexAtOpen building = null;
        try {
            if (segments.isEmpty()) {
                if (meta != null && meta.lastTid() != Storage.NO_TID) {
                    throw new CorruptStorageException(dir + " has an index for transactions up to " + meta.lastTid()
                            + " but no log segments (log-*.seg): the log was deleted, "
                            + Segment.fileName(LogPosition.segment(meta.lastTxn())) + " (which held the last"
                            + " transaction) among it. Restore it from a backup.");
                }
                segments = new ArrayList<>(List.of(Log.createFirst(dir, options.segmentSize(), io)));
                meta = null;
            }
            building = new IndexAtOpen(dir, meta == null ? 0 : meta.generation(), options.indexPagesInMemory());
            DurableProof durable = (meta == null ? DurableProof.NONE : DurableProof.indexMeta(meta.lastTid()))
                    .or(packFinished ? DurableProof.packFinishedAtOpen() : DurableProof.NONE);
            LogRecovery.Result state = null;
            if (meta != null && meta.clean()) {
                state = building.catchUp(segments, meta, durable);
            }
            boolean fromIndex = state != null;
            if (state == null) {
                long capacity = Math.max(OidIndex.pagesFor(options.indexCapacity()), meta == null ? 0 : meta.capacity());
                state = building.rebuild(segments, capacity, durable);
            }
            if (meta != null && state.lastTid() < meta.lastTid()) {
                // FORMAT.md invariant (7): the side file only ever names durable transactions.
                throw new CorruptStorageException(dir.resolve(Segment.fileName(LogPosition.segment(state.end())))
                        + " offset " + LogPosition.offset(state.end()) + ": the log ends here, at tid "
                        + state.lastTid() + ", but " + dir.resolve(IndexMeta.FILE_NAME) + " records tid "
                        + meta.lastTid() + " as committed: log segments are missing or were replaced by older"
                        + " copies. Restore the store from a backup.");
            }
            // The log forces the recovered end first: index.meta names only durable transactions (FORMAT.md
            // invariant (7)), and a crashed process may have left the last ones in the page cache only.
            Log log = new Log(dir, options.segmentSize(), io, state.segments(), state.end());
            OidIndex index = building.index();
            new IndexMeta(false, state.end(), state.lastTxn(), state.lastTid(), state.nextOid(),
                    index.capacity(), index.size(), index.generation(), IndexFingerprint.NONE).write(dir);
            IndexGenerations.deleteFilesExcept(dir, index.generation());
            return new Opened(dir, options, lock, log, index, state, fromIndex);
        } catch (RuntimeException | Error e) {
            segments.forEach(Segment::close);
            if (building != null) {
                building.closeQuietly(); // a refused open must not leave the index file mapped
            }
            throw e;
        }
    }
}
