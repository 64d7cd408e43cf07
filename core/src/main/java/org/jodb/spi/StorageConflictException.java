package org.jodb.spi;

/**
 * Thrown by {@link StorageTransaction#vote()} when an object stored or checked in the transaction was
 * changed by another transaction after the writer's serial. Core turns it into
 * {@code org.jodb.ConflictException} or {@code org.jodb.ReadConflictException}, adding the class name.
 */
public class StorageConflictException extends StorageException {
    private final long oid;
    private final long readSerial;
    private final long currentSerial;
    private final boolean readConflict;

    /**
     * Object {@code oid} was committed at {@code currentSerial} after the writer read {@code readSerial};
     * {@code readConflict} when the object was only read (checked), not written.
     */
    public StorageConflictException(long oid, long readSerial, long currentSerial, boolean readConflict) {
        this((readConflict ? "read conflict" : "write conflict") + " on oid " + oid
                + ": read serial " + readSerial + ", committed serial " + currentSerial,
                oid, readSerial, currentSerial, readConflict);
    }

    /** For subclasses that explain the conflict in their own words. */
    protected StorageConflictException(String message, long oid, long readSerial, long currentSerial,
                                       boolean readConflict) {
        super(message);
        this.oid = oid;
        this.readSerial = readSerial;
        this.currentSerial = currentSerial;
        this.readConflict = readConflict;
    }

    /** The object that changed. */
    public long oid() { return oid; }

    /** The tid the writer had read (or checked). */
    public long readSerial() { return readSerial; }

    /** The tid of the revision committed meanwhile. */
    public long currentSerial() { return currentSerial; }

    /** True for a failed {@link StorageTransaction#checkCurrent} check, false for a write conflict. */
    public boolean isReadConflict() { return readConflict; }
}
