package org.jodb.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import org.jodb.spi.StorageException;
import org.jodb.storage.internal.log.LogIo;
import org.jodb.storage.internal.log.Segment;

/**
 * The log's real file operations, made to fail at the Nth operation once armed, each the way it fails in
 * reality: segment creation, at the rollover or ahead of time, with "no space left" (as {@link Segment#create}
 * reports it), a write
 * after writing half its bytes, a force, each with an I/O error.
 * A persistent fault keeps failing every later operation until disarmed (a disk that stays full).
 */
final class FaultyLogIo implements LogIo {

    /** The kinds of operation. */
    enum Op { CREATE, PREPARE, WRITE, FORCE }

    private int countdown;
    private Set<Op> kinds = EnumSet.allOf(Op.class);
    private boolean persistent;
    private boolean armed;
    private int fired;
    /** What the last injected fault hit, for messages. */
    String lastFault = "";

    /** Makes the {@code n}th operation from now fail (1 = the next one), and every later one if persistent. */
    synchronized void failAt(int n, boolean persistent) {
        failAt(n, persistent, EnumSet.allOf(Op.class));
    }

    /** Like {@link #failAt(int, boolean)}, counting only operations of the given kinds. */
    synchronized void failAt(int n, boolean persistent, Set<Op> kinds) {
        this.kinds = kinds;
        this.countdown = n;
        this.persistent = persistent;
        this.armed = true;
        this.fired = 0;
    }

    synchronized void disarm() {
        armed = false;
    }

    /** How many operations failed since {@link #failAt}. */
    synchronized int fired() {
        return fired;
    }

    private synchronized boolean shouldFail(Op op, String what) {
        if (!armed || !kinds.contains(op)) {
            return false;
        }
        if (fired > 0 ? persistent : --countdown == 0) {
            fired++;
            lastFault = what;
            return true;
        }
        return false;
    }

    @Override
    public Segment createSegment(Path dir, String name, int id, int capacity) {
        if (shouldFail(Op.CREATE, "create " + name)) {
            throw diskFull(dir, name);
        }
        return LogIo.super.createSegment(dir, name, id, capacity);
    }

    @Override
    public Segment prepareSegment(Path dir, String name, int id, int capacity) {
        if (shouldFail(Op.PREPARE, "prepare " + name)) {
            throw diskFull(dir, name);
        }
        return LogIo.super.prepareSegment(dir, name, id, capacity);
    }

    private static StorageException diskFull(Path dir, String name) {
        return new StorageException("cannot create log segment " + dir.resolve(name)
                + ": injected: No space left on device");
    }

    @Override
    public void write(Segment segment, int offset, byte[] bytes, int from, int length) {
        if (shouldFail(Op.WRITE, "write " + length + " bytes at " + segment + ":" + offset)) {
            LogIo.super.write(segment, offset, bytes, from, length / 2);
            throw new UncheckedIOException(new IOException("injected: Input/output error"));
        }
        LogIo.super.write(segment, offset, bytes, from, length);
    }

    @Override
    public void force(Segment segment, int from, int to) {
        if (shouldFail(Op.FORCE, "force " + segment + " [" + from + ", " + to + ")")) {
            throw new UncheckedIOException(new IOException("injected: Input/output error"));
        }
        LogIo.super.force(segment, from, to);
    }
}
