package org.jodb.doctest;

import java.nio.file.Path;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageProvider;

/**
 * How core's {@code Database.open(Path)} reaches {@link PostgresDirectories} while the runner's {@code --store}
 * is in effect: registered in {@code META-INF/services/org.jodb.spi.StorageProvider}, it opens directories only
 * then, and the runner names it in the system property {@value StorageProvider#PATH_PROVIDER_PROPERTY} so that
 * it, not the file store, is chosen. Otherwise it opens nothing. Public only because ServiceLoader requires it.
 */
public final class PostgresDirectoryProvider implements StorageProvider {

    @Override
    public String description() {
        return "the doctest runner's --store (jodb-doctests): each directory a schema on a PostgreSQL server";
    }

    /** {@inheritDoc} None: this provider opens directories only. */
    @Override
    public boolean accepts(String url) {
        return false;
    }

    @Override
    public Storage open(String url) {
        throw new UnsupportedOperationException(description() + " opens directories, not URLs");
    }

    /** {@inheritDoc} Only while the runner's {@code --store} is in effect. */
    @Override
    public boolean opensPaths() {
        return PostgresDirectories.active() != null;
    }

    @Override
    public Storage open(Path path) {
        PostgresDirectories store = PostgresDirectories.active();
        if (store == null) {
            throw new IllegalStateException("the doctest runner's --store is not in effect: open " + path
                    + " with the file store");
        }
        return store.open(path);
    }
}
