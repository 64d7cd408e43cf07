package org.jodb.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jodb.spi.StorageException;

/**
 * One process owns a store at a time: an OS file lock on {@code jodb.lock}, held from open to close. The
 * OS drops it when the process dies, so a crashed owner never blocks the next open.
 *
 * <p>While it holds the lock, the owner keeps its process id in the file (decimal digits and a newline), so that
 * a tool can find the process that has the store open (the {@code jodb stats} command reads its runtime figures
 * there). The id means something only while the file is locked: a crashed owner leaves its id behind, and an
 * older jodb leaves the file empty.
 */
final class StoreLock implements AutoCloseable {

    static final String FILE_NAME = "jodb.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static StoreLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StorageException("cannot open the lock file " + file + ": " + e.getMessage(), e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StorageException("the store " + dir + " is open in another process (" + file
                        + " is locked). Close it there first: one process owns a store at a time.");
            }
            writeOwner(channel);
            return new StoreLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            close(channel);
            throw new StorageException("the store " + dir + " is already open in this process. Share the one"
                    + " MappedFileStorage (or Database) instead of opening it twice.");
        } catch (IOException e) {
            close(channel);
            throw new StorageException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (StorageException e) {
            close(channel);
            throw e;
        }
    }

    /** Replaces what the file holds with this process's id. */
    private static void writeOwner(FileChannel channel) throws IOException {
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
    }

    @Override
    public void close() {
        try {
            channel.truncate(0); // the id goes with the lock: an unlocked file names no owner
        } catch (IOException ignored) {
            // a stale id is harmless: it counts only while the file is locked
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        close(channel);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
