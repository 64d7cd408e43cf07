package org.jodb.spi;

/**
 * A store was written in a format version this jodb cannot read (usually a newer one). Nothing was
 * changed on disk. Remedy: open it with the jodb version named in the message or newer.
 */
public class UnsupportedFormatException extends StorageException {
    /** With {@code message}, which names the problem and the remedy. */
    public UnsupportedFormatException(String message) {
        super(message);
    }
}
