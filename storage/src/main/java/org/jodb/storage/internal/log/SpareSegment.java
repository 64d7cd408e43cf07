package org.jodb.storage.internal.log;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The log's next segment, made ahead of time on a thread of its own while commits go on. Making a segment
 * means writing all of it (64 MiB of zeros by default) and forcing it, about 170 ms on this project's
 * machine; done at the rollover it would stall every committer behind the commit lock for that long. The
 * spare waits under a temporary name ({@code log-N.seg.tmp}, deleted at open), so it is not part of the
 * store until the rollover names it (FORMAT.md 7.1, step 4).
 *
 * <p>Not thread-safe: the log starts, takes and discards its spare under the commit lock (and at close).
 */
final class SpareSegment {

    private final int id;
    private final CompletableFuture<Segment> made = new CompletableFuture<>();

    private SpareSegment(int id) {
        this.id = id;
    }

    /** Starts making segment {@code id} of {@code capacity} bytes in {@code dir} and returns at once. */
    static SpareSegment start(Path dir, LogIo io, int id, int capacity) {
        SpareSegment spare = new SpareSegment(id);
        Thread maker = new Thread(() -> {
            try {
                spare.made.complete(io.prepareSegment(dir, Segment.fileName(id), id, capacity));
            } catch (Throwable e) {
                spare.made.completeExceptionally(e);
            }
        }, "jodb-segment-maker " + dir);
        maker.setDaemon(true);
        maker.start();
        return spare;
    }

    /** The id the spare was made for. */
    int id() {
        return id;
    }

    /**
     * Waits for the spare and returns it if it is segment {@code wantedId} with room for {@code capacity}
     * bytes; otherwise (making it failed, or a pack moved the log on to other ids) deletes it and returns
     * {@code null}, and the caller makes the segment itself, where a failure such as a full disk is reported.
     */
    Segment take(int wantedId, int capacity) {
        Segment segment = await();
        if (segment == null) {
            return null;
        }
        if (id != wantedId || segment.capacity < capacity) {
            drop(segment);
            return null;
        }
        return segment;
    }

    /** Waits for the spare and deletes it (close, or a spare nobody will use). */
    void discard() {
        Segment segment = await();
        if (segment != null) {
            drop(segment);
        }
    }

    private Segment await() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return made.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the maker finishes on its own within a force; wait for it
                } catch (ExecutionException e) {
                    return null; // prepareSegment deleted what it had written
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void drop(Segment segment) {
        segment.close();
        Segment.deleteQuietly(segment.file);
    }
}
