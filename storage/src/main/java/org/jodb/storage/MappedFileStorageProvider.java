package org.jodb.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

import org.jodb.spi.Storage;
import org.jodb.spi.StorageProvider;

/**
 * Lets {@code Database.open(Path)} and {@code Database.open("file:/path/to/dir")} find {@link MappedFileStorage}
 * through {@link java.util.ServiceLoader} (registered in {@code META-INF/services/org.jodb.spi.StorageProvider}).
 * Public only because ServiceLoader requires it.
 */
public final class MappedFileStorageProvider implements StorageProvider {

    private static final String SCHEME = "file:";

    @Override
    public String description() {
        return "the file store (jodb-storage): a directory, as Database.open(Path) or a file: URL such as"
                + " file:/var/lib/app/db";
    }

    /** {@inheritDoc} A {@code file:} URL. */
    @Override
    public boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** {@inheritDoc} A {@code file:} URL names the store's directory; default {@link StorageOptions}. */
    @Override
    public Storage open(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid file: URL (" + e.getMessage() + "): write it as"
                    + " file:/absolute/path, or open the directory with Database.open(Path)", e);
        }
        if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getQuery() != null || uri.getFragment() != null
                || (uri.getAuthority() != null && !uri.getAuthority().isEmpty())) {
            throw new IllegalArgumentException("a file: URL names a local directory by its absolute path, as"
                    + " file:/var/lib/app/db (no host, query or fragment): " + url);
        }
        return MappedFileStorage.open(Path.of(uri.getPath()));
    }

    @Override
    public boolean opensPaths() {
        return true;
    }

    /** {@inheritDoc} With default {@link StorageOptions}. */
    @Override
    public Storage open(Path path) {
        return MappedFileStorage.open(path);
    }
}
