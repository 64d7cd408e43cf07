package org.jodb.storage.internal.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.jodb.spi.StorageException;
import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.Segment;

/**
 * The commit point of a pack (FORMAT.md 3.6 and 7.3): the file {@code pack.commit} names the segments pack
 * replaces and the ones that replace them. Pack writes its output as {@code log-N.seg.pack}, forces it, then
 * writes and forces this file; from then on the swap is certain and {@link #complete} redoes it after a
 * crash. Without a valid {@code pack.commit}, {@code *.pack} files are leftovers of a pack that never
 * committed and are deleted.
 */
public final class PackCommit {

    public static final String FILE_NAME = "pack.commit";
    public static final String OUTPUT_SUFFIX = ".pack";
    private static final byte[] MAGIC = "jodb-pak".getBytes(StandardCharsets.US_ASCII);
    private static final int SIZE = 28;

    private PackCommit() {
    }

    /** Records the decision to replace segments {@code [oldFirst, oldLast]} by {@code [newFirst, newLast]}. */
    public static void write(Path dir, int oldFirst, int oldLast, int newFirst, int newLast) {
        write(dir, oldFirst, oldLast, newFirst, newLast, () -> { });
    }

    /**
     * {@link #write(Path, int, int, int, int)}, running {@code beforeForce} once the bytes are written and
     * before they are forced (tests make the force fail there).
     */
    public static void write(Path dir, int oldFirst, int oldLast, int newFirst, int newLast, Runnable beforeForce) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.put(MAGIC).putInt(oldFirst).putInt(oldLast).putInt(newFirst).putInt(newLast);
        b.putInt(LogLayout.crc(b.array(), 0, SIZE - 4));
        b.flip();
        try (FileChannel ch = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            beforeForce.run();
            ch.force(true);
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("pack could not write " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
        Segment.forceDirectory(dir);
    }

    /** Whether every output segment of a pack is there, under its final name or still as pack output. */
    private static boolean outputPresent(Path dir, int newFirst, int newLast) {
        if (newFirst > newLast) {
            return false;
        }
        for (int id = newFirst; id <= newLast; id++) {
            if (!Files.isRegularFile(dir.resolve(Segment.fileName(id) + OUTPUT_SUFFIX))
                    && !Files.isRegularFile(dir.resolve(Segment.fileName(id)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Deletes {@code pack.commit} after {@link #write} failed, and makes the deletion durable.
     *
     * @return whether the file is gone; if not, its bytes may be whole and the next open finishes the pack
     */
    public static boolean remove(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE_NAME));
        } catch (IOException e) {
            return false;
        }
        Segment.forceDirectory(dir);
        return true;
    }

    /**
     * Finishes a committed pack, or clears the leftovers of one that did not commit. Runs before recovery. A
     * {@code pack.commit} whose output is not all there is no commit (pack writes it only once its output is
     * forced in place): it is deleted and the old segments stay the log.
     *
     * @return whether a pack was finished: its output, now the whole log, was forced before its commit point, and
     *         no writer appended to it (the process died before the swap), so every byte of it is durable
     */
    public static boolean complete(Path dir) {
        boolean finished = false;
        Path marker = dir.resolve(FILE_NAME);
        try {
            if (Files.isRegularFile(marker)) {
                byte[] bytes = Files.readAllBytes(marker);
                ByteBuffer b = ByteBuffer.wrap(bytes);
                if (bytes.length == SIZE && Arrays.equals(Arrays.copyOf(bytes, 8), MAGIC)
                        && b.getInt(SIZE - 4) == LogLayout.crc(bytes, 0, SIZE - 4)
                        && outputPresent(dir, b.getInt(16), b.getInt(20))) {
                    int oldFirst = b.getInt(8), oldLast = b.getInt(12), newFirst = b.getInt(16), newLast = b.getInt(20);
                    for (int id = newFirst; id <= newLast; id++) {
                        Path output = dir.resolve(Segment.fileName(id) + OUTPUT_SUFFIX);
                        if (Files.exists(output)) {
                            Files.move(output, dir.resolve(Segment.fileName(id)),
                                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                    for (int id = oldFirst; id <= oldLast; id++) {
                        Files.deleteIfExists(dir.resolve(Segment.fileName(id)));
                    }
                    Segment.forceDirectory(dir);
                    finished = true;
                }
                Files.delete(marker);
            }
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "*{" + OUTPUT_SUFFIX + ",.tmp}")) {
                for (Path p : leftovers) {
                    Files.deleteIfExists(p);
                }
            }
            Segment.forceDirectory(dir);
            return finished;
        } catch (IOException e) {
            throw new StorageException("cannot finish an interrupted pack in " + dir + ": " + e.getMessage()
                    + ". Check the directory's permissions.", e);
        }
    }
}
