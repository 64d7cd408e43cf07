package org.jodb.doctest;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jodb.postgres.PostgresStorage;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageProvider;
import org.jodb.spi.StorageUrls;

/**
 * The runner's {@code --store jdbc:postgresql:...}: while it is {@linkplain #activate active}, every directory a
 * scenario opens with {@code Database.open(Path)} is a PostgreSQL schema of its own on that server instead of a
 * file store ({@link PostgresDirectoryProvider} is the {@link StorageProvider} that core finds for paths).
 * The scenarios stay as a user writes them; {@code Database.inMemory()} stays in memory.
 *
 * <p>A directory gets a fresh schema ({@value #SCHEMA_PREFIX}{@code <n>_<random>}) the first time it is opened
 * and the same one every time after, so a scenario that closes and reopens a store finds its data, as on disk.
 * Nothing is written in the directory. When a file ends, the storages opened for it are closed (a file that
 * fails before its {@code close()} must not leave connections behind); when the run ends, every schema made is
 * dropped.
 *
 * <p>Thread-safe: a scenario may open stores from several threads.
 */
final class PostgresDirectories {

    /** How every schema the runner makes starts: a leftover of a killed run is easy to find and drop. */
    static final String SCHEMA_PREFIX = "jodb_scenario_";

    private static PostgresDirectories active;

    private final String url;
    private final String shownUrl;
    private final String random = Integer.toHexString(new SecureRandom().nextInt() & 0xfffffff);
    private final Map<Path, String> schemas = new LinkedHashMap<>();
    private final List<Storage> openedInThisFile = new ArrayList<>();
    private int made;

    private PostgresDirectories(String url) {
        this.url = url;
        this.shownUrl = shown(url);
    }

    /**
     * Checks {@code url} and connects to it once, so that a wrong URL or a server that is down is one clear
     * error before any scenario runs.
     *
     * @return why {@code url} cannot be used, or {@code null} when it can
     */
    static String check(String url) {
        String shown = shown(url);
        if (!url.regionMatches(true, 0, "jdbc:postgresql:", 0, "jdbc:postgresql:".length())) {
            return "--store takes a PostgreSQL URL, jdbc:postgresql://host:port/database?user=name&password=...,"
                    + " not " + shown;
        }
        if (url.matches("(?i).*[?&]jodbSchema=.*")) {
            return "--store " + shown + ": leave out jodbSchema; the runner gives each directory a scenario"
                    + " opens a schema of its own (" + SCHEMA_PREFIX + "...) and drops it at the end";
        }
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return null;
        } catch (SQLException | RuntimeException e) {
            return "--store " + shown + ": cannot connect: " + StorageUrls.redact(String.valueOf(e.getMessage()))
                    + "; check that the server runs and that the URL's user may create schemas in its database";
        }
    }

    /** Sends the directories of the scenarios from now on to {@code url} (checked with {@link #check}). */
    static synchronized void activate(String url) {
        if (active != null) {
            throw new IllegalStateException("the scenarios already run on " + active.shownUrl);
        }
        active = new PostgresDirectories(url);
    }

    /** The store in use, or {@code null} when the scenarios run on the file store. */
    static synchronized PostgresDirectories active() {
        return active;
    }

    /**
     * Ends the run on PostgreSQL: closes what is still open and drops every schema made.
     *
     * @return what could not be dropped, one line each
     */
    static List<String> deactivate() {
        PostgresDirectories ending;
        synchronized (PostgresDirectories.class) {
            ending = active;
            active = null;
        }
        return ending == null ? List.of() : ending.dropAll();
    }

    /** How many schemas this run made so far (each directory opened is one). */
    synchronized int schemasMade() {
        return made;
    }

    /** How the runner shows a {@code --store} URL: without its password. */
    static String shown(String url) {
        return StorageUrls.redact(url);
    }

    /** Opens the schema that stands for {@code directory}, making it the first time. */
    Storage open(Path directory) {
        String schema;
        synchronized (this) {
            schema = schemas.computeIfAbsent(directory.toAbsolutePath().normalize(),
                    any -> SCHEMA_PREFIX + (++made) + "_" + random);
        }
        Storage storage = PostgresStorage.open(url + (url.contains("?") ? "&" : "?") + "jodbSchema=" + schema);
        synchronized (this) {
            openedInThisFile.add(storage);
        }
        return storage;
    }

    /**
     * Closes the storages opened since the last call (closing one a scenario already closed does nothing).
     *
     * @return what could not be closed, one line each
     */
    List<String> endOfFile() {
        List<Storage> opened;
        synchronized (this) {
            opened = new ArrayList<>(openedInThisFile);
            openedInThisFile.clear();
        }
        List<String> problems = new ArrayList<>();
        for (Storage storage : opened) {
            try {
                storage.close();
            } catch (RuntimeException e) {
                problems.add("closing " + storage.name() + ": " + e);
            }
        }
        return problems;
    }

    private List<String> dropAll() {
        List<String> problems = new ArrayList<>(endOfFile());
        List<String> toDrop;
        synchronized (this) {
            toDrop = new ArrayList<>(schemas.values());
            schemas.clear();
        }
        if (toDrop.isEmpty()) {
            return problems;
        }
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            // a connection a scenario left open in a thread of its own must not hold the run forever
            s.execute("SET lock_timeout = '20s'");
            for (String schema : toDrop) {
                try {
                    s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
                } catch (SQLException e) {
                    problems.add("could not drop schema " + schema + " on " + shownUrl + ": " + e.getMessage()
                            + "; drop it by hand (DROP SCHEMA " + schema + " CASCADE)");
                }
            }
        } catch (SQLException e) {
            problems.add("could not drop the schemas " + toDrop + " on " + shownUrl + ": " + e.getMessage());
        }
        return problems;
    }

    /** A plain JDBC connection with the driver itself: no DriverManager, whose caller checks differ in JShell. */
    private static Connection connect(String url) throws SQLException {
        Connection c = new org.postgresql.Driver().connect(url, new Properties());
        if (c == null) {
            throw new SQLException("the PostgreSQL driver does not take this URL");
        }
        return c;
    }
}
