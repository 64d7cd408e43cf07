package org.jodb.spi;

/**
 * A storage failed to read or write: an I/O error, a full disk, a closed or broken storage. The
 * transaction that saw it did not commit; abort it. If the storage was closed because it could no longer
 * guarantee consistency, reopen it (recovery runs on open).
 */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
