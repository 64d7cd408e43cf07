package org.jodb.postgres;

import org.jodb.spi.Storage;
import org.jodb.spi.StorageProvider;

/**
 * Lets {@code Database.open("jdbc:postgresql://host/db?user=app")} find {@link PostgresStorage} through
 * {@link java.util.ServiceLoader} (registered in {@code META-INF/services/org.jodb.spi.StorageProvider}).
 * Public only because ServiceLoader requires it.
 */
public final class PostgresStorageProvider implements StorageProvider {

    @Override
    public String description() {
        return "PostgreSQL (jodb-postgres): jdbc:postgresql://host:port/database?user=name[&jodbSchema=schema]";
    }

    /** {@inheritDoc} A {@code jdbc:postgresql:} URL. */
    @Override
    public boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PgUrl.PREFIX, 0, PgUrl.PREFIX.length());
    }

    /** {@inheritDoc} With default {@link PostgresOptions}; the URL's {@code jodbSchema} names the schema. */
    @Override
    public Storage open(String url) {
        return PostgresStorage.open(url);
    }
}
