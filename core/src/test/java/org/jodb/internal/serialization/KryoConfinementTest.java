package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Kryo stays inside this package (STYLE.md layering): nothing else in core imports it. */
class KryoConfinementTest {
    @Test
    void onlySerializationImportsKryo() throws IOException {
        Path main = Path.of("src/main/java/org/jodb");
        assertTrue(Files.isDirectory(main), "run from the core module's directory");
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.startsWith(main.resolve("internal/serialization")))
                    .filter(f -> {
                        try {
                            return Files.readString(f).contains("com.esotericsoftware");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
        assertEquals(List.of(), offenders);
    }
}
