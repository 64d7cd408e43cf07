package org.jodb.doctest;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The temporary files of one scenario file: scenarios make their stores in
 * {@code Files.createTempDirectory(..)} (68 MB each, the index being allocated up front), and nothing
 * else would ever delete them.
 *
 * <p>Which ones: a path the file's variables still hold (a {@code Path}, a {@code File}, the directory
 * of a database or storage: see {@link Leftovers}) that lies in the JVM's temporary directory, under an
 * entry of that directory that did not exist when the file started ({@link #TemporaryFiles()}). That
 * entry is deleted with everything in it. Anything else, a fixed path or an entry older than the
 * file, is left alone: the runner shares the temporary directory with other programs.
 */
final class TemporaryFiles {

    private final Path tmp;
    private final Set<Path> before;

    /** Notes what the JVM's temporary directory holds now: none of it is ever deleted. */
    TemporaryFiles() {
        tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Set<Path> entries = new HashSet<>();
        try (Stream<Path> list = Files.list(tmp)) {
            list.forEach(entries::add);
        } catch (IOException | RuntimeException e) {
            entries = null; // cannot tell new from old: delete nothing
        }
        before = entries;
    }

    /**
     * Deletes the entries of the temporary directory that hold one of {@code held} and are new since
     * this object was made.
     *
     * @return what could not be deleted
     */
    List<Path> deleteNew(Collection<Path> held) {
        if (before == null) {
            return List.of();
        }
        Set<Path> made = new LinkedHashSet<>();
        for (Path path : held) {
            Path absolute = path.toAbsolutePath().normalize();
            if (absolute.startsWith(tmp) && absolute.getNameCount() > tmp.getNameCount()) {
                Path entry = tmp.resolve(absolute.getName(tmp.getNameCount()));
                if (!before.contains(entry) && Files.exists(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    made.add(entry);
                }
            }
        }
        List<Path> left = new ArrayList<>();
        made.forEach(entry -> left.addAll(deleteTree(entry)));
        return left;
    }

    /** Deletes a file or a directory tree (not following links); returns the paths that would not go. */
    static List<Path> deleteTree(Path top) {
        List<Path> left = new ArrayList<>();
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    left.add(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    delete(dir);
                    return FileVisitResult.CONTINUE;
                }

                private void delete(Path path) {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException e) {
                        left.add(path);
                    }
                }
            });
        } catch (IOException e) {
            left.add(top);
        }
        return left.stream().distinct().collect(Collectors.toList());
    }
}
