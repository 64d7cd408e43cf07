package org.jodb.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.jodb.spi.StorageException;
import org.jodb.storage.internal.log.LogIo;
import org.jodb.storage.internal.log.Segment;

/**
 * The log's file operations, failing on demand for the object layer's failure tests: the next segment creation
 * (disk full), the next write (device error after half the bytes) or the next force. Opens a
 * {@link MappedFileStorage} through its package-private seam for the log's file operations.
 */
final class FailingDisk implements LogIo {

    /** The kinds of file operation. */
    enum Op { CREATE, WRITE, FORCE }

    private Op failing;
    private boolean persistent;
    private int fired;

    /** Makes the next operation of kind {@code op} fail, and every later one of that kind if persistent. */
    synchronized void failNext(Op op, boolean persistent) {
        this.failing = op;
        this.persistent = persistent;
        this.fired = 0;
    }

    synchronized void heal() {
        failing = null;
    }

    synchronized int fired() {
        return fired;
    }

    private synchronized boolean fails(Op op) {
        if (failing != op) {
            return false;
        }
        fired++;
        if (!persistent) {
            failing = null;
        }
        return true;
    }

    @Override
    public Segment createSegment(Path dir, String name, int id, int capacity) {
        if (fails(Op.CREATE)) {
            throw new StorageException("cannot create log segment " + dir.resolve(name)
                    + ": injected: No space left on device");
        }
        return LogIo.super.createSegment(dir, name, id, capacity);
    }

    @Override
    public Segment prepareSegment(Path dir, String name, int id, int capacity) {
        if (failing == Op.CREATE) {
            throw new StorageException("cannot create log segment " + dir.resolve(name)
                    + ": injected: No space left on device");
        }
        return LogIo.super.prepareSegment(dir, name, id, capacity);
    }

    @Override
    public void write(Segment segment, int offset, byte[] bytes, int from, int length) {
        if (fails(Op.WRITE)) {
            LogIo.super.write(segment, offset, bytes, from, length / 2);
            throw new UncheckedIOException(new IOException("injected: Input/output error"));
        }
        LogIo.super.write(segment, offset, bytes, from, length);
    }

    @Override
    public void force(Segment segment, int from, int to) {
        if (fails(Op.FORCE)) {
            throw new UncheckedIOException(new IOException("injected: Input/output error"));
        }
        LogIo.super.force(segment, from, to);
    }

    /** A file storage at {@code dir} whose log does its file operations through {@code io}. */
    static MappedFileStorage open(Path dir, StorageOptions options, LogIo io) {
        return MappedFileStorage.open(dir, options, io);
    }
}
