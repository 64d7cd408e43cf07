package org.jodb.spi;

import java.nio.file.Path;

/**
 * Opens a kind of storage by name; found through {@link java.util.ServiceLoader} (a file
 * {@code META-INF/services/org.jodb.spi.StorageProvider} in the provider's jar) by {@code Database.open(String url)}
 * and {@code Database.open(Path)}. jodb-storage provides the file store's; jodb-postgres provides PostgreSQL's.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #accepts} decides from the text of a URL alone (its scheme, its form), without connecting or
 *       touching a file, and never throws: {@code Database.open(String)} asks every provider and takes the
 *       first that accepts.</li>
 *   <li>{@link #open(String)} opens (creating when absent, as the storage defines it) what the URL names.
 *       A message about a URL it cannot open shows the URL without a password.</li>
 *   <li>A provider whose storage lives in a directory says so with {@link #opensPaths()} and implements
 *       {@link #open(Path)}; {@code Database.open(Path)} uses the first such provider, or, when the system
 *       property {@value #PATH_PROVIDER_PROPERTY} is set, the one of the class it names (and fails, naming
 *       the providers found, when none of that class opens directories).</li>
 * </ul>
 */
public interface StorageProvider {

    /**
     * System property: the fully qualified class name of the provider {@code Database.open(Path)} uses when
     * more than one on the class path opens directories. Unset, the first found is used: with jodb-storage
     * alone, the file store. A tool that stands in for the file store sets it, as the doctest runner does
     * to send its scenarios' directories to PostgreSQL ({@code --store}).
     */
    String PATH_PROVIDER_PROPERTY = "jodb.pathStorageProvider";

    /**
     * What this provider opens and the URLs it accepts, for messages that list the providers on the class
     * path, e.g. {@code "the file store (jodb-storage): file:/path/to/dir"}.
     */
    String description();

    /** Whether {@link #open(String)} is this provider's for {@code url}; {@code false} for anything else. */
    boolean accepts(String url);

    /**
     * Opens the storage {@code url} names.
     *
     * @throws IllegalArgumentException when {@code url} is one this provider accepts but is malformed
     * @throws StorageException when the storage cannot be opened
     */
    Storage open(String url);

    /** Whether this provider keeps its storage in a directory and serves {@link #open(Path)}. */
    default boolean opensPaths() {
        return false;
    }

    /**
     * Opens (creating if absent) the store in directory {@code path}, running recovery.
     *
     * @throws UnsupportedOperationException when this provider does not keep its storage in a directory
     */
    default Storage open(Path path) {
        throw new UnsupportedOperationException(description() + " is not kept in a directory: open it by its URL");
    }
}
