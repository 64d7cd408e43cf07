package org.jodb.spi;

import java.nio.file.Path;

/**
 * Found through {@link java.util.ServiceLoader} by {@code Database.open(Path)}: opens the durable storage
 * at a path. jodb-storage provides one ({@code META-INF/services/org.jodb.spi.StorageProvider}).
 */
public interface StorageProvider {
    /** Opens (creating if absent) the store at {@code path}, running recovery. */
    Storage open(Path path);
}
