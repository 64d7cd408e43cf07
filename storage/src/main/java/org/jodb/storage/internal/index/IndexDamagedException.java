package org.jodb.storage.internal.index;

import org.jodb.spi.StorageException;

/**
 * The oid index file cannot be used: it does not match what {@code index.meta} recorded about it, or Chronicle
 * Map failed on its bytes. The index is derived state (FORMAT.md 5), so the storage answers this by rebuilding
 * it from the log; the message names the index file.
 */
public final class IndexDamagedException extends StorageException {

    private static final long serialVersionUID = 1L;

    public IndexDamagedException(String message, Throwable cause) {
        super(message, cause);
    }
}
