package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Database#open(Path)} with two providers that open directories on the class path (registered here
 * through the context class loader, so no other test sees them): the system property
 * {@value StorageProvider#PATH_PROVIDER_PROPERTY} chooses between them.
 */
class PathProviderChoiceTest {

    /** The directories each test provider was asked to open, by provider. */
    static final List<String> OPENED = new ArrayList<>();

    @TempDir
    Path tmp;
    private ClassLoader before;

    @BeforeEach
    void registerTwoPathProviders() throws IOException {
        Path services = Files.createDirectories(tmp.resolve("classes/META-INF/services"));
        Files.writeString(services.resolve(StorageProvider.class.getName()),
                First.class.getName() + "\n" + Second.class.getName() + "\n");
        before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(new URLClassLoader(
                new URL[] {tmp.resolve("classes").toUri().toURL()}, getClass().getClassLoader()));
        OPENED.clear();
    }

    @AfterEach
    void restore() {
        Thread.currentThread().setContextClassLoader(before);
        System.clearProperty(StorageProvider.PATH_PROVIDER_PROPERTY);
    }

    @Test
    void thePropertyChoosesWhichProviderOpensADirectory() {
        for (Class<?> chosen : List.of(Second.class, First.class)) {
            System.setProperty(StorageProvider.PATH_PROVIDER_PROPERTY, chosen.getName());
            Database.open(tmp.resolve("store")).close();
            assertEquals(chosen.getSimpleName() + " " + tmp.resolve("store"), OPENED.get(OPENED.size() - 1));
        }
        assertEquals(2, OPENED.size());
    }

    @Test
    void withoutThePropertyOneOfThemOpensIt() {
        Database.open(tmp.resolve("store")).close();
        assertEquals(1, OPENED.size());
    }

    @Test
    void aPropertyNamingNoProviderThatOpensDirectoriesIsRefusedByName() {
        for (String named : List.of("org.example.Missing", NoPaths.class.getName())) {
            System.setProperty(StorageProvider.PATH_PROVIDER_PROPERTY, named);
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> Database.open(tmp.resolve("store")));
            String message = refused.getMessage();
            assertTrue(message.contains(StorageProvider.PATH_PROVIDER_PROPERTY + " names " + named), message);
            assertTrue(message.contains("first test provider") && message.contains("second test provider"), message);
        }
        assertEquals(List.of(), OPENED);
    }

    /** A provider that opens directories in memory, noting each. */
    public abstract static class InMemoryPaths implements StorageProvider {
        @Override
        public boolean accepts(String url) {
            return false;
        }

        @Override
        public Storage open(String url) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean opensPaths() {
            return true;
        }

        @Override
        public Storage open(Path path) {
            OPENED.add(getClass().getSimpleName() + " " + path);
            return new MemoryStorage();
        }
    }

    public static final class First extends InMemoryPaths {
        @Override
        public String description() {
            return "first test provider";
        }
    }

    public static final class Second extends InMemoryPaths {
        @Override
        public String description() {
            return "second test provider";
        }
    }

    /** Registered nowhere: a class that exists but is no provider found on the class path. */
    public static final class NoPaths extends InMemoryPaths {
        @Override
        public String description() {
            return "not registered";
        }
    }
}
