package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The storage module knows bytes, not Java objects: only org.jodb.spi from core, no Kryo; Chronicle Map only
 * under internal/index/; internal/log/ knows nothing of the index or recovery.
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
}
