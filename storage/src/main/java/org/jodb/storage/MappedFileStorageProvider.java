package org.jodb.storage;

import java.nio.file.Path;

import org.jodb.spi.Storage;
import org.jodb.spi.StorageProvider;

/**
 * Lets {@code Database.open(Path)} find {@link MappedFileStorage} through {@link java.util.ServiceLoader}
 * (registered in {@code META-INF/services/org.jodb.spi.StorageProvider}). Public only because
 * ServiceLoader requires it.
 */
public final class MappedFileStorageProvider implements StorageProvider {

    /** {@inheritDoc} With default {@link StorageOptions}. */
    @Override
    public Storage open(Path path) {
        return MappedFileStorage.open(path);
    }
}
