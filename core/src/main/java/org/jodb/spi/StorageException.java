package org.jodb.spi;

/**
 * A storage failed to read or write: an I/O error, a full disk, a closed or broken storage. The
 * transaction that saw it did not commit; abort it. If the storage was closed because it could no longer
 * guarantee consistency, reopen it (recovery runs on open).
 */
public class StorageException extends RuntimeException {
    /** With {@code message}, which names the problem and the remedy. */
    public StorageException(String message) {
        super(message);
    }

    /** With {@code message}, which names the problem and the remedy, and the {@code cause} it wraps. */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
