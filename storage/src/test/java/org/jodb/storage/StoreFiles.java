package org.jodb.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.jodb.storage.internal.index.OidIndex;

/** Test support: copying a store's files as a crash would leave them. */
public final class StoreFiles {

    private StoreFiles() {
    }

    /**
     * Copies the log and side files of a store (open or not); the Chronicle index file is left out because a
     * store that was not closed cleanly rebuilds it anyway.
     */
    public static void copyCrashImage(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.toList()) {
                if (!OidIndex.isIndexFile(p)) {
                    Files.copy(p, to.resolve(p.getFileName()));
                }
            }
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
