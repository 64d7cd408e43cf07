package org.jodb.spi;

/**
 * Thrown by {@link StorageTransaction#vote()} when a record being written refers to an object that
 * {@link Storage#pack} removed: the object was unreachable when pack ran, but a connection still held it
 * and linked it again. Committing would leave a reference to nothing, so nothing is written. Being a
 * {@link StorageConflictException}, core reports it as a retryable {@code ConflictException} whose cause is
 * this exception; {@link #oid()} is the removed object, {@link #currentSerial()} is {@link Storage#NO_TID}
 * because it has no revision any more.
 *
 * <p>Remedy: the object's state is gone from the store. Abort, and store the values again as a new object
 * (or, if they are still needed, take them from the instance the application held); loading the removed
 * oid gives {@code ObjectNotFoundException}. To avoid it, pack when no connection holds unlinked objects it
 * may link again.
 */
public class DanglingReferenceException extends StorageConflictException {
    private final long referencingOid;

    /** The new record of {@code referencingOid} refers to {@code removedOid}, which pack removed. */
    public DanglingReferenceException(long referencingOid, long removedOid) {
        super("the new record of oid " + referencingOid + " refers to oid " + removedOid + ", which pack removed"
                + " because nothing referred to it; nothing was written. Abort, and store that object's values"
                + " again as a new object instead of linking the removed instance.", removedOid, Storage.NO_TID,
                Storage.NO_TID, false);
        this.referencingOid = referencingOid;
    }

    /** The object whose new record holds the reference. */
    public long referencingOid() {
        return referencingOid;
    }
}
