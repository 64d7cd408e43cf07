package org.jodb.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The transaction package stands alone: it imports nothing else from the project (STYLE.md layering). */
class PackageLayeringTest {
    @Test
    void importsNothingElseFromTheProject() throws IOException {
        Path dir = Path.of("src/main/java/org/jodb/transaction");
        assertTrue(Files.isDirectory(dir), "run from the core module: " + dir.toAbsolutePath());
        List<String> offending;
        try (Stream<Path> files = Files.list(dir)) {
            offending = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(f -> {
                        try {
                            return Files.readAllLines(f).stream()
                                    .filter(line -> line.startsWith("import org.jodb.")
                                            || line.startsWith("import static org.jodb."))
                                    .filter(line -> !line.contains("org.jodb.transaction."))
                                    .map(line -> f.getFileName() + ": " + line);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .collect(Collectors.toList());
        }
        assertEquals(List.of(), offending);
    }
}
