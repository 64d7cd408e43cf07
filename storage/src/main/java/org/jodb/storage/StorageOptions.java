package org.jodb.storage;

import java.util.Objects;

/**
 * How a {@link MappedFileStorage} lays out and forces its files. Immutable; made by {@link #builder()},
 * which checks each value as it is set.
 */
public final class StorageOptions {

    /** When {@code finish()} returns relative to the fsync that makes a commit durable. */
    public enum Durability {
        /**
         * {@code finish()} returns after the commit is forced to the device. Concurrent committers share
         * one force (group commit).
         */
        SYNC,
        /**
         * {@code finish()} returns before the force; a background thread forces the log every
         * {@link #flushIntervalMillis()}. A crash of the machine (not of the process) may lose the commits
         * of the last interval, but never leaves a torn or partial transaction.
         */
        DEFERRED
    }

    /** Smallest segment, in bytes. */
    public static final int MIN_SEGMENT_SIZE = 128;
    /** Largest segment, in bytes (a mapping and a position's offset are 32-bit). */
    public static final int MAX_SEGMENT_SIZE = 1 << 30;

    private static final StorageOptions DEFAULTS = builder().build();

    private final int segmentSize;
    private final Durability durability;
    private final int flushIntervalMillis;
    private final long indexCapacity;
    private final int indexPagesInMemory;

    private StorageOptions(Builder b) {
        this.segmentSize = b.segmentSize;
        this.durability = b.durability;
        this.flushIntervalMillis = b.flushIntervalMillis;
        this.indexCapacity = b.indexCapacity;
        this.indexPagesInMemory = b.indexPagesInMemory;
    }

    public static StorageOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Size of a new log segment file, in bytes; a transaction larger than that gets a segment of its own.
     * Segments are allocated whole; from 1 MiB on, the next one is made ahead of time once the current one
     * is half full, so a store holds up to one segment more than its log needs (FORMAT.md 7.1, step 4).
     */
    public int segmentSize() {
        return segmentSize;
    }

    public Durability durability() {
        return durability;
    }

    /** With {@link Durability#DEFERRED}: the longest a commit stays unforced, in milliseconds. */
    public int flushIntervalMillis() {
        return flushIntervalMillis;
    }

    /** Oids the index file is created for; it is grown (copied into a file twice as large) before it fills. */
    public long indexCapacity() {
        return indexCapacity;
    }

    /**
     * At most how many pages of the index (64 oids each, 1 KiB) stay on the heap: every page a commit writes goes
     * there first and reaches the index file later (FORMAT.md 3.7), and reads find pages there without a lock.
     * 16,384 by default (16 MiB for a store of a million objects or more; a smaller store keeps a slot per page
     * of its index's capacity).
     */
    public int indexPagesInMemory() {
        return indexPagesInMemory;
    }

    @Override
    public String toString() {
        return "StorageOptions[segmentSize=" + segmentSize + ", durability=" + durability
                + (durability == Durability.DEFERRED ? ", flushIntervalMillis=" + flushIntervalMillis : "")
                + ", indexCapacity=" + indexCapacity + ", indexPagesInMemory=" + indexPagesInMemory + "]";
    }

    /** Builds {@link StorageOptions}; every setter rejects a bad value at once. */
    public static final class Builder {
        private int segmentSize = 64 << 20;
        private Durability durability = Durability.SYNC;
        private int flushIntervalMillis = 10;
        private boolean flushIntervalSet;
        private long indexCapacity = 100_000;
        private int indexPagesInMemory = 1 << 14;

        private Builder() {
        }

        public Builder segmentSize(int bytes) {
            if (bytes < MIN_SEGMENT_SIZE || bytes > MAX_SEGMENT_SIZE) {
                throw new IllegalArgumentException("segmentSize must be between " + MIN_SEGMENT_SIZE + " and "
                        + MAX_SEGMENT_SIZE + " bytes: " + bytes);
            }
            this.segmentSize = bytes;
            return this;
        }

        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        public Builder flushIntervalMillis(int millis) {
            if (millis < 1 || millis > 10_000) {
                throw new IllegalArgumentException("flushIntervalMillis must be between 1 and 10000: " + millis);
            }
            this.flushIntervalMillis = millis;
            this.flushIntervalSet = true;
            return this;
        }

        public Builder indexCapacity(long entries) {
            if (entries < 1_000 || entries > 1L << 34) {
                throw new IllegalArgumentException("indexCapacity must be between 1000 and 2^34 entries: " + entries);
            }
            this.indexCapacity = entries;
            return this;
        }

        /** See {@link StorageOptions#indexPagesInMemory()}: a power of two from 64 to 1,048,576. */
        public Builder indexPagesInMemory(int pages) {
            if (pages < 64 || pages > 1 << 20 || Integer.bitCount(pages) != 1) {
                throw new IllegalArgumentException("indexPagesInMemory must be a power of two from 64 to 1048576"
                        + " (pages of 64 oids, 1 KiB each): " + pages);
            }
            this.indexPagesInMemory = pages;
            return this;
        }

        /**
         * @throws IllegalStateException when a flush interval was set for {@link Durability#SYNC}, where it
         *         would silently mean nothing
         */
        public StorageOptions build() {
            if (flushIntervalSet && durability == Durability.SYNC) {
                throw new IllegalStateException("flushIntervalMillis applies only to Durability.DEFERRED,"
                        + " but durability is SYNC");
            }
            return new StorageOptions(this);
        }
    }
}
