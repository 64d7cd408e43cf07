package org.jodb.cli;

import org.jodb.cli.browse.StoreLog;
import org.jodb.spi.Storage;

/**
 * A storage named by URL, kept open while the browser serves it: a storage shared by several processes (a
 * database server) is read through the storage SPI, not its files, and opening it for every page would cost a
 * connection each. Every read is a fresh walk of what the storage holds, so a page shows the commits of every
 * process up to the moment of its request.
 */
public final class UrlStore implements AutoCloseable {
    private final StoreUrl url;
    private final Storage storage;

    private UrlStore(StoreUrl url, Storage storage) {
        this.url = url;
        this.storage = storage;
    }

    /** Whether {@code name} names a storage by URL rather than a store directory. */
    public static boolean isUrl(String name) {
        return StoreUrl.isUrl(name);
    }

    /**
     * Opens the storage {@code name} names.
     *
     * @throws RuntimeException whose message names the URL without its password, says what went wrong and what to
     *         check
     */
    public static UrlStore open(String name) {
        StoreUrl url = StoreUrl.of(name);
        return new UrlStore(url, url.openStorage());
    }

    /** The URL fit for a page or a message: without its password. */
    public String shown() {
        return url.shown();
    }

    /** Reads the storage's transactions and revisions as they are now; see {@link StorageStoreLog}. */
    public StoreLog read() {
        return StorageStoreLog.read(storage, url);
    }

    @Override
    public void close() {
        storage.close();
    }
}
