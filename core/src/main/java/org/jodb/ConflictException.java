package org.jodb;

import org.jodb.transaction.TransientException;

/**
 * A transaction wrote an object that another transaction committed after this one's snapshot, and the
 * two writes could not be merged (ZODB's {@code ConflictError}). Nothing was written. Remedy: abort and
 * redo the work in a new transaction; {@code TransactionManager.run} does both.
 *
 * <p>Immutable and thread-safe, like every jodb exception: it may be handed to another thread.
 */
public class ConflictException extends TransientException {
    private final long oid;
    private final String className;
    private final long readSerial;
    private final long currentSerial;

    /**
     * A write conflict on object {@code oid} of {@code className}: this transaction read serial
     * {@code readSerial}, another transaction committed {@code currentSerial}.
     */
    public ConflictException(long oid, String className, long readSerial, long currentSerial) {
        this("write conflict", oid, className, readSerial, currentSerial);
    }

    /** For subclasses: {@code kind} names the conflict ("read conflict") at the start of the message. */
    protected ConflictException(String kind, long oid, String className, long readSerial, long currentSerial) {
        this(oid, className, readSerial, currentSerial, kind + " on oid " + oid + " (" + className
                + "): this transaction read serial " + readSerial + ", another committed serial " + currentSerial
                + "; abort and retry the transaction");
    }

    /**
     * A conflict the storage explained itself, e.g. a record referring to an object that pack removed
     * ({@code org.jodb.spi.DanglingReferenceException}): {@code message} is the whole text.
     */
    public ConflictException(long oid, String className, long readSerial, long currentSerial, String message) {
        super(message);
        this.oid = oid;
        this.className = className;
        this.readSerial = readSerial;
        this.currentSerial = currentSerial;
    }

    /** The object in conflict. */
    public long oid() {
        return oid;
    }

    /**
     * The class of the object in conflict, as far as this connection knows it. A large
     * {@link PersistentMap} keeps its entries in records of their own: a conflict on one of them names
     * {@code PersistentMap}, with the oid of that record.
     */
    public String className() {
        return className;
    }

    /** The serial (tid) of the revision this transaction read. */
    public long readSerial() {
        return readSerial;
    }

    /** The serial (tid) of the revision committed meanwhile. */
    public long currentSerial() {
        return currentSerial;
    }
}
