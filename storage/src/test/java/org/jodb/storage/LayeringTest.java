package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The storage module knows bytes, not Java objects: only org.jodb.spi from core, no Kryo; Chronicle Map only
 * under internal/index/; internal/log/ knows nothing of the index or recovery. Its public surface outside the
 * internal packages is its three entry points.
 */
class LayeringTest {

    @Test
    void importsFollowTheLayers() throws IOException {
        Path root = Path.of("src/main/java/org/jodb/storage");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(file.getParent()).toString().replace('\\', '/');
                for (String line : Files.readAllLines(file)) {
                    if (!line.startsWith("import ")) {
                        continue;
                    }
                    String imported = line.replace("import static ", "").replace("import ", "");
                    boolean bad = imported.startsWith("com.esotericsoftware")
                            || imported.startsWith("org.jodb.") && !imported.startsWith("org.jodb.spi.")
                            && !imported.startsWith("org.jodb.storage.")
                            || imported.startsWith("net.openhft") && !pkg.equals("internal/index")
                            || pkg.equals("internal/log") && (imported.startsWith("org.jodb.storage.internal.index")
                            || imported.startsWith("org.jodb.storage.internal.recovery"));
                    if (bad) {
                        violations.add(root.relativize(file) + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void onlyTheEntryPointsArePublicOutsideTheInternalPackages() throws IOException {
        Set<String> publicTypes = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/java/org/jodb/storage"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readAllLines(file).stream().anyMatch(line -> line.matches(
                        "public (final |abstract )*(class|interface|record|enum) .*"))) {
                    publicTypes.add(file.getFileName().toString().replace(".java", ""));
                }
            }
        }
        assertEquals(Set.of("MappedFileStorage", "MappedFileStorageProvider", "StorageOptions"), publicTypes);
    }

    @Test
    void eachInternalPackageSaysItIsInternal() throws IOException {
        try (Stream<Path> packages = Files.list(Path.of("src/main/java/org/jodb/storage/internal"))) {
            for (Path dir : packages.toList()) {
                Path info = dir.resolve("package-info.java");
                assertTrue(Files.exists(info), "missing " + info);
                assertTrue(Files.readString(info).contains("no compatibility promise"), info + " must say so");
            }
        }
    }
}
