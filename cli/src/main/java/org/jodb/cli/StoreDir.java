package org.jodb.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.jodb.storage.internal.log.Segment;

/**
 * A store directory named on the command line, checked before anything reads it: it exists, is a directory
 * and holds log segments. Also says whether another process has the store open (its lock file is locked),
 * without taking the lock for longer than the test.
 */
final class StoreDir {
    static final String LOCK_FILE = "jodb.lock";

    final Path path;
    /** The segment files in id order. */
    final List<Path> segments;

    private StoreDir(Path path, List<Path> segments) {
        this.path = path;
        this.segments = segments;
    }

    /**
     * @throws UserError when {@code name} is no directory or holds no jodb log
     */
    static StoreDir of(String name) {
        Path path = Path.of(name);
        if (!Files.exists(path)) {
            throw new UserError("no such directory: " + path + ". Name the directory of a jodb store (the one given"
                    + " to Database.open).");
        }
        if (!Files.isDirectory(path)) {
            throw new UserError(path + " is a file, not a store directory. Name the directory of a jodb store (the"
                    + " one given to Database.open), which holds log-00000001.seg and index files.");
        }
        List<Path> segments = new ArrayList<>();
        try (Stream<Path> files = Files.list(path)) {
            files.filter(f -> Segment.idOf(f) > 0).sorted().forEach(segments::add);
        } catch (IOException e) {
            throw new UserError("cannot list " + path + ": " + e.getMessage() + ". Check its permissions.");
        }
        if (segments.isEmpty()) {
            throw new UserError(path + " is not a jodb store: it holds no log segment (log-NNNNNNNN.seg). Name the"
                    + " directory given to Database.open; a store is made by opening an empty directory with"
                    + " Database.open.");
        }
        return new StoreDir(path, segments);
    }

    /**
     * A directory taken as a store without the checks of {@link #of}: for a command's target, which may be new;
     * only the lock methods mean something on it.
     */
    static StoreDir unchecked(Path path) {
        return new StoreDir(path, List.of());
    }

    /** Who has the store open, as its lock file tells. */
    enum Owner { NONE, THIS_PROCESS, OTHER_PROCESS }

    /** Whether a process (this one included) holds the store's lock: it has the store open. */
    boolean openElsewhere() {
        return owner() != Owner.NONE;
    }

    /** Which process, if any, holds the store's lock. */
    Owner owner() {
        Path lock = path.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lock, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                channel.close();
                return Owner.OTHER_PROCESS;
            }
            held.release();
            channel.close();
            return Owner.NONE;
        } catch (OverlappingFileLockException e) {
            keepOpen(channel); // this JVM holds it (a Database open in the same process)
            return Owner.THIS_PROCESS;
        } catch (NoSuchFileException e) {
            return Owner.NONE;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UserError("cannot check the lock file " + lock + ": " + e.getMessage()
                    + ". Check the directory's permissions.");
        }
    }

    /**
     * The process id the owner wrote into the lock file, or empty when it wrote none (a jodb before the id was
     * kept) or the file cannot be read. Call it only when {@link #owner()} is {@link Owner#OTHER_PROCESS}: the
     * id counts only while the file is locked, and reading the file from the process that holds the lock would
     * drop that lock (see {@link #keepOpen}).
     */
    OptionalLong ownerPid() {
        try {
            String text = Files.readString(path.resolve(LOCK_FILE), StandardCharsets.US_ASCII).trim();
            return text.matches("\\d{1,19}") ? OptionalLong.of(Long.parseLong(text))
                    : OptionalLong.empty();
        } catch (IOException | NumberFormatException unreadable) {
            return OptionalLong.empty(); // locked against reading (Windows), or gone since
        }
    }

    /**
     * Keeps a channel on the lock file open for the rest of the JVM's life instead of closing it. On POSIX
     * systems a process's file locks are tied to the file, not the channel: closing any channel on the lock file
     * drops the lock a Database of this same process holds on it, and another process could then open the store
     * beside it. Only a channel that met this JVM's own lock is kept, one per check.
     */
    private static void keepOpen(FileChannel channel) {
        if (channel != null) {
            KEPT_OPEN.add(channel);
        }
    }

    private static final List<FileChannel> KEPT_OPEN = Collections.synchronizedList(new ArrayList<>());

    /**
     * Holds the store's lock until closed, so that no process opens the store (and appends, recovers or packs)
     * while a check reads it; {@code null} when the store has no lock file (it was never opened by jodb).
     *
     * @throws UserError when another process has the store open
     */
    AutoCloseable lock(String command) {
        Path lock = path.resolve(LOCK_FILE);
        if (!Files.exists(lock)) {
            return null;
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lock, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                channel.close();
                throw new UserError(busyMessage(command));
            }
            return channel::close; // closing the channel releases the lock
        } catch (OverlappingFileLockException e) {
            keepOpen(channel);
            throw new UserError(busyMessage(command));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UserError("cannot lock " + lock + ": " + e.getMessage() + ". Check the directory's permissions.");
        }
    }

    private String busyMessage(String command) {
        return "another process has the store " + path + " open (its lock file " + LOCK_FILE + " is locked); "
                + command + " reads every byte of a store no process writes to. Close the store in that process"
                + " (stop the application), then run " + command + " again.";
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    /** The message for a command that writes, when another process has the store open. */
    String heldMessage(String command) {
        return "another process has the store " + path + " open (its lock file " + LOCK_FILE + " is locked); "
                + command + " changes the store and needs it to itself. Close the store in that process (stop the"
                + " application), then run " + command + " again.";
    }

    long diskBytes() {
        long total = 0;
        try (Stream<Path> files = Files.list(path)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    total += Files.size(f);
                }
            }
        } catch (IOException e) {
            // the figure is informative; a file deleted meanwhile does not matter
        }
        return total;
    }
}
