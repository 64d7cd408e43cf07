package org.jodb;

/**
 * An object passed to {@code Connection.readCurrent} was changed by another transaction after this one
 * read it (ZODB's {@code ReadConflictError}). Nothing was written. Remedy: abort and retry.
 *
 * <p>Immutable and thread-safe, like every jodb exception: it may be handed to another thread.
 */
public class ReadConflictException extends ConflictException {
    /**
     * A read conflict on object {@code oid} of {@code className}: this transaction's snapshot has serial
     * {@code readSerial}, another transaction committed {@code currentSerial}.
     */
    public ReadConflictException(long oid, String className, long readSerial, long currentSerial) {
        super("read conflict", oid, className, readSerial, currentSerial);
    }
}
