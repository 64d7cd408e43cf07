package org.jodb.spi;

/**
 * A store's files are damaged inside their committed region, or are not a jodb store at all. Nothing was
 * changed on disk. Remedy: restore from a backup, or move the damaged file away; the message names the
 * file, the offset and what mismatched.
 */
public class CorruptStorageException extends StorageException {
    /** With {@code message}, which names the problem and the remedy. */
    public CorruptStorageException(String message) {
        super(message);
    }

    /** With {@code message}, which names the problem and the remedy, and the {@code cause} it wraps. */
    public CorruptStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
